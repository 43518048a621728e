# syntax=docker/dockerfile:1
#
# Images of CPIMS+ hosted:
#   docker build -t cpims .                         # target cpims (default): the cpims binary
#   docker build --target kratos -t cpims-kratos .  # Ory Kratos built from infra/kratos
# Both run as uid/gid 65532 on distroless (no shell, no package manager) and are static
# (CGO_ENABLED=0), so they run with a read-only root filesystem. Compilers run on the build
# machine's platform and cross-compile for --platform (linux/amd64 or linux/arm64).

ARG GO_IMAGE=golang:1.26
ARG NODE_IMAGE=node:20
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

# --- web application (embedded into the cpims binary) ---------------------------------
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src/frontend
COPY frontend/ ./
# The TypeScript PWA builds into frontend/dist. Until frontend/ has a package.json the
# stage yields an empty dist and the binary embeds what frontend/ holds in the repository.
RUN --mount=type=cache,target=/root/.npm \
    if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; else mkdir -p dist; fi

# --- cpims ---------------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/cpims ./cmd/cpims

# --- Ory Kratos (separate Go module: its dependencies stay out of ours) ---------------------
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS kratos-build
ARG TARGETOS TARGETARCH
WORKDIR /src/infra/kratos
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
COPY infra/kratos/go.mod infra/kratos/go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY infra/kratos/ ./
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/kratos .

FROM ${RUNTIME_IMAGE} AS kratos
COPY --from=kratos-build /out/kratos /usr/local/bin/kratos
COPY infra/kratos/config/ /etc/kratos/
# The identity schema is referenced relative to the working directory in kratos.yml;
# deployments set IDENTITY_SCHEMAS to file:///etc/kratos/identity.schema.json (ECS and the
# on-premises module do).
ENV IDENTITY_SCHEMAS='[{"id":"person","url":"file:///etc/kratos/identity.schema.json"}]'
USER 65532:65532
EXPOSE 4433 4434
ENTRYPOINT ["/usr/local/bin/kratos"]
CMD ["serve", "--config", "/etc/kratos/kratos.yml", "--watch-courier", "--sqa-opt-out"]

# --- cpims runtime (default target: keep it last) ---------------------------------------------
FROM ${RUNTIME_IMAGE} AS cpims
COPY --from=build /out/cpims /usr/local/bin/cpims
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/cpims"]
CMD ["serve"]

// Command kratos is Ory Kratos built from its Go module, so that the identity
// server used in development, tests and on-premises installs is pinned by this
// module's go.mod and go.sum instead of a container image.
//
// It only hands over to Kratos' own command line (serve, migrate sql, ...),
// the same entry point as Kratos' own main package.
package main

import (
	"os"
	"runtime/debug"

	"github.com/ory/kratos/cmd"
	"github.com/ory/kratos/driver/config"
)

const kratosModule = "github.com/ory/kratos"

func main() {
	// Kratos' release builds stamp their version with -ldflags; a module
	// build would report "master". Take the version from go.mod instead, so
	// `kratos version`, /health/version and the config version check are right.
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == kratosModule {
				config.Version = dep.Version
				break
			}
		}
	}

	os.Exit(cmd.Execute())
}

package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/storage"
)

// Every test runs against a real versitygw (one per test binary, a bucket per test).
func TestMain(m *testing.M) { s3test.Main(m) }

type testBundle struct {
	cfg   storage.Config
	store *storage.Store
}

func setup(t *testing.T, edit ...func(*storage.Config)) (*storage.Store, *testBundle) {
	t.Helper()
	cfg := s3test.Bucket(t)
	for _, e := range edit {
		e(&cfg)
	}
	st, err := storage.New(cfg)
	require.NoError(t, err)
	return st, &testBundle{cfg: cfg, store: st}
}

// bucketKeys lists every key of the bucket, looking past the storage package.
func bucketKeys(t *testing.T, bucket string) []string {
	t.Helper()
	out, err := s3test.Default().Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: &bucket})
	require.NoError(t, err)
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, *o.Key)
	}
	return keys
}

func put(t *testing.T, st *storage.Store, tenant, key string, body []byte, ctype string) (storage.Object, error) {
	t.Helper()
	return st.Put(context.Background(), tenant, key, bytes.NewReader(body), int64(len(body)), ctype)
}

func get(t *testing.T, st *storage.Store, tenant, key string) ([]byte, storage.Object, error) {
	t.Helper()
	rc, obj, err := st.Get(context.Background(), tenant, key)
	if err != nil {
		return nil, obj, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b, obj, nil
}

// TestPutGetDeleteUnderTenantPrefix: an object is stored under
// tenants/<code>/<key>, read back byte for byte with its detected type, and
// deleted.
func TestPutGetDeleteUnderTenantPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	photo := samplePNG(t)

	obj, err := put(t, st, "ke", "attachments/case-1/photo-1", photo, "image/png")
	require.NoError(t, err)
	require.Equal(t, storage.Object{Key: "attachments/case-1/photo-1", ContentType: storage.TypePNG, Size: int64(len(photo))}, obj)
	require.Equal(t, []string{"tenants/ke/attachments/case-1/photo-1"}, bucketKeys(t, b.cfg.Bucket))

	got, info, err := get(t, st, "ke", "attachments/case-1/photo-1")
	require.NoError(t, err)
	require.Equal(t, photo, got)
	require.Equal(t, storage.TypePNG, info.ContentType)
	require.Equal(t, int64(len(photo)), info.Size)

	require.NoError(t, st.Delete(ctx, "ke", "attachments/case-1/photo-1"))
	_, _, err = get(t, st, "ke", "attachments/case-1/photo-1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	require.Empty(t, bucketKeys(t, b.cfg.Bucket))
	require.NoError(t, st.Delete(ctx, "ke", "attachments/case-1/photo-1"), "deleting a missing object is not an error")
}

// TestPutStreamsLargeObjects: a body read in small chunks from an unseekable
// reader is stored whole (no buffering of the file, no rewinding).
func TestPutStreamsLargeObjects(t *testing.T) {
	t.Parallel()
	st, _ := setup(t)
	body := append(samplePDF(), bytes.Repeat([]byte("0123456789abcdef"), 256*1024)...) // ~4 MiB
	_, err := st.Put(context.Background(), "ke", "exports/big.pdf", iotest.HalfReader(bytes.NewReader(body)), int64(len(body)), "application/pdf")
	require.NoError(t, err)
	got, _, err := get(t, st, "ke", "exports/big.pdf")
	require.NoError(t, err)
	require.True(t, bytes.Equal(body, got), "stored bytes differ")
}

// TestPutSizeLimits: too large, empty, shorter or longer than declared are
// refused and leave nothing stored.
func TestPutSizeLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t, func(c *storage.Config) { c.MaxSize = 4096 })
	pdf := append(samplePDF(), make([]byte, 1000)...)

	_, err := st.Put(ctx, "ke", "a", bytes.NewReader(make([]byte, 4097)), 4097, "application/pdf")
	require.ErrorIs(t, err, storage.ErrTooLarge)
	_, err = st.Put(ctx, "ke", "a", bytes.NewReader(nil), 0, "application/pdf")
	require.ErrorIs(t, err, storage.ErrEmpty)

	// Declared within the limit, but the body is longer: refused mid-stream.
	long := append(bytes.Clone(pdf), make([]byte, 8192)...)
	_, err = st.Put(ctx, "ke", "a", bytes.NewReader(long), int64(len(pdf)), "application/pdf")
	require.ErrorIs(t, err, storage.ErrSizeMismatch)
	// Shorter than declared, past the sniffed part and within it.
	_, err = st.Put(ctx, "ke", "a", bytes.NewReader(pdf), int64(len(pdf)+10), "application/pdf")
	require.ErrorIs(t, err, storage.ErrSizeMismatch)
	_, err = st.Put(ctx, "ke", "a", bytes.NewReader(pdf[:100]), 400, "application/pdf")
	require.ErrorIs(t, err, storage.ErrSizeMismatch)
	require.Empty(t, bucketKeys(t, b.cfg.Bucket), "refused uploads store nothing")

	_, err = st.Put(ctx, "ke", "a", bytes.NewReader(pdf), int64(len(pdf)), "application/pdf")
	require.NoError(t, err, "exactly the declared size, within the limit")
	big := append(bytes.Clone(pdf), make([]byte, 4096-len(pdf))...)
	_, err = st.Put(ctx, "ke", "b", bytes.NewReader(big), 4096, "application/pdf")
	require.NoError(t, err, "exactly the limit")
}

// TestPutChecksTypeByContent: real small files of each kind are accepted as
// what they are (stored with the canonical type), and refused when the
// content is not what was declared or not an allowed kind.
func TestPutChecksTypeByContent(t *testing.T) {
	t.Parallel()
	st, b := setup(t)
	accepted := []struct {
		name, declared, stored string
		body                   []byte
	}{
		{"DOCX", storage.TypeDOCX, storage.TypeDOCX, sampleDOCX(t)},
		{"JPEGAsImageJpg", "image/jpg", storage.TypeJPEG, sampleJPEG(t)},
		{"MP3FramesAsAudioMpeg", "audio/mpeg", storage.TypeMP3, sampleMP3()},
		{"PDF", "application/pdf", storage.TypePDF, samplePDF()},
		{"PNG", "image/png", storage.TypePNG, samplePNG(t)},
		{"PNGUndeclared", "application/octet-stream", storage.TypePNG, samplePNG(t)},
		{"WAVAsXWav", "audio/x-wav", storage.TypeWAV, sampleWAV()},
		{"HEICDeclaredAsHEIF", "image/heif", storage.TypeHEIF, ftyp("heic", "mif1", "heic")},
		{"M4AWithGenericBrand", "audio/x-m4a", storage.TypeM4A, ftyp("isom", "isom", "mp42")},
	}
	for _, c := range accepted {
		t.Run("Accepts"+c.name, func(t *testing.T) {
			t.Parallel()
			obj, err := put(t, st, "ke", "ok/"+c.name, c.body, c.declared)
			require.NoError(t, err)
			require.Equal(t, c.stored, obj.ContentType)
			_, info, err := get(t, st, "ke", "ok/"+c.name)
			require.NoError(t, err)
			require.Equal(t, c.stored, info.ContentType, "stored with the canonical type")
		})
	}
	refused := []struct {
		name, declared string
		body           []byte
		want           error
	}{
		{"TextPosingAsPNG", "image/png", []byte("hello, I am not a picture\n"), storage.ErrTypeMismatch},
		{"TextPosingAsJPEG", "image/jpeg", []byte("<html><script>alert(1)</script></html>"), storage.ErrTypeMismatch},
		{"PDFPosingAsJPEG", "image/jpeg", samplePDF(), storage.ErrTypeMismatch},
		{"PNGPosingAsPDF", "application/pdf", samplePNG(t), storage.ErrTypeMismatch},
		{"PlainZIPPosingAsDOCX", storage.TypeDOCX, sampleZIP(t), storage.ErrTypeMismatch},
		{"TextDeclaredAsText", "text/plain", []byte("hello\n"), storage.ErrTypeNotAllowed},
		{"HTMLUndeclared", "", []byte("<!DOCTYPE html><html></html>"), storage.ErrTypeNotAllowed},
		{"VideoMP4Undeclared", "", ftyp("isom", "isom", "mp42"), storage.ErrTypeNotAllowed},
		{"ZIPDeclaredAsZIP", "application/zip", sampleZIP(t), storage.ErrTypeNotAllowed},
	}
	for _, c := range refused {
		t.Run("Refuses"+c.name, func(t *testing.T) {
			t.Parallel()
			_, err := put(t, st, "ke", "bad/"+c.name, c.body, c.declared)
			require.ErrorIs(t, err, c.want)
			var te *storage.TypeError
			require.ErrorAs(t, err, &te)
			require.Equal(t, c.declared, te.Declared)
		})
	}
	t.Cleanup(func() {
		for _, k := range bucketKeys(t, b.cfg.Bucket) {
			require.True(t, strings.HasPrefix(k, "tenants/ke/ok/"), "refused upload %s was stored", k)
		}
	})
}

// httpGet fetches url; it returns the status, body and headers.
func httpGet(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b), resp.Header
}

// TestPresignedGet: a presigned URL downloads the object as an attachment;
// the server refuses it when its signature, object key or expiry was
// changed, or when it was signed with a wrong secret.
func TestPresignedGet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	pdf := samplePDF()
	_, err := put(t, st, "ke", "attachments/case-1/report", pdf, "application/pdf")
	require.NoError(t, err)
	_, err = put(t, st, "ke", "attachments/case-1/other", samplePNG(t), "image/png")
	require.NoError(t, err)

	link, err := st.PresignGet(ctx, "ke", "attachments/case-1/report", "تقرير الحالة.pdf")
	require.NoError(t, err)
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.Equal(t, "300", u.Query().Get("X-Amz-Expires"), "5 minutes by default")

	status, body, h := httpGet(t, link)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, string(pdf), body)
	require.Equal(t, storage.TypePDF, h.Get("Content-Type"))
	require.True(t, strings.HasPrefix(h.Get("Content-Disposition"), "attachment;"), h.Get("Content-Disposition"))
	require.Contains(t, h.Get("Content-Disposition"), "filename*=utf-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1")

	tamper := func(edit func(q url.Values, u *url.URL)) string {
		v := *u
		q := v.Query()
		edit(q, &v)
		v.RawQuery = q.Encode()
		return v.String()
	}
	refused := map[string]string{
		"TamperedSignature": tamper(func(q url.Values, _ *url.URL) {
			sig := []byte(q.Get("X-Amz-Signature"))
			sig[len(sig)-1] = map[bool]byte{true: '0', false: '1'}[sig[len(sig)-1] != '0']
			q.Set("X-Amz-Signature", string(sig))
		}),
		"OtherObject": tamper(func(_ url.Values, v *url.URL) {
			v.Path = strings.Replace(v.Path, "/report", "/other", 1)
		}),
		"LongerExpiry": tamper(func(q url.Values, _ *url.URL) { q.Set("X-Amz-Expires", "604800") }),
		"InlineDisposition": tamper(func(q url.Values, _ *url.URL) {
			q.Set("response-content-disposition", "inline")
		}),
	}
	for name, link := range refused {
		status, body, _ := httpGet(t, link)
		require.Equal(t, http.StatusForbidden, status, "%s: %s", name, body)
		require.NotContains(t, body, "%PDF", name)
	}

	// Signed with a wrong secret (same access key).
	wrong, err := storage.New(func() storage.Config { c := b.cfg; c.SecretKey = "not-the-secret"; return c }())
	require.NoError(t, err)
	link, err = wrong.PresignGet(ctx, "ke", "attachments/case-1/report", "r.pdf")
	require.NoError(t, err)
	status, body, _ = httpGet(t, link)
	require.Equal(t, http.StatusForbidden, status, body)
	require.Contains(t, body, "SignatureDoesNotMatch")
}

// TestPresignedGetExpires: a link signed for one second is refused once its
// expiry has passed, by the server's clock (polled, no fixed sleep).
func TestPresignedGetExpires(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := setup(t, func(c *storage.Config) { c.PresignTTL = time.Second })
	_, err := put(t, st, "ke", "attachments/x", samplePDF(), "application/pdf")
	require.NoError(t, err)
	link, err := st.PresignGet(ctx, "ke", "attachments/x", "x.pdf")
	require.NoError(t, err)
	u, _ := url.Parse(link)
	signed, err := time.Parse("20060102T150405Z", u.Query().Get("X-Amz-Date"))
	require.NoError(t, err)
	ttl, _ := strconv.Atoi(u.Query().Get("X-Amz-Expires"))
	require.Equal(t, 1, ttl)
	expiry := signed.Add(time.Duration(ttl) * time.Second)

	deadline := time.Now().Add(30 * time.Second)
	for {
		before := time.Now()
		status, body, _ := httpGet(t, link)
		if status != http.StatusOK {
			require.Equal(t, http.StatusForbidden, status, body)
			require.Contains(t, strings.ToLower(body), "expired")
			require.False(t, before.Before(expiry.Add(-time.Second)), "refused before it expired: %s", body)
			break
		}
		require.True(t, before.Before(expiry.Add(time.Second)), "still accepted after its expiry %v", expiry)
		require.True(t, time.Now().Before(deadline), "never expired")
		time.Sleep(50 * time.Millisecond) // polling interval
	}
	// A fresh link works again: it was the expiry, not the object.
	link, err = st.PresignGet(ctx, "ke", "attachments/x", "x.pdf")
	require.NoError(t, err)
	status, _, _ := httpGet(t, link)
	require.Equal(t, http.StatusOK, status)
}

// TestPresignedGetThroughAReverseProxy: with PublicEndpoint, links point at
// a proxy (as Caddy fronts versitygw on premises) and work through it when
// the proxy passes the Host header on unchanged.
func TestPresignedGetThroughAReverseProxy(t *testing.T) {
	t.Parallel()
	target, err := url.Parse(s3test.Default().URL)
	require.NoError(t, err)
	proxy := &http.Server{Handler: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host // like Caddy's reverse_proxy
	}}}
	ln := listen(t)
	go func() { _ = proxy.Serve(ln) }()
	t.Cleanup(func() { _ = proxy.Close() })

	st, _ := setup(t, func(c *storage.Config) { c.PublicEndpoint = "http://" + ln.Addr().String() })
	_, err = put(t, st, "ke", "attachments/y", samplePNG(t), "image/png")
	require.NoError(t, err)
	link, err := st.PresignGet(context.Background(), "ke", "attachments/y", "y.png")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(link, "http://"+ln.Addr().String()+"/"), link)
	status, body, _ := httpGet(t, link)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, string(samplePNG(t)), body)
}

// TestWrongSecretIsRefused: every call signed with a wrong secret fails.
func TestWrongSecretIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, b := setup(t)
	cfg := b.cfg
	cfg.SecretKey = "not-the-secret"
	wrong, err := storage.New(cfg)
	require.NoError(t, err)
	require.Error(t, wrong.Ready(ctx))
	_, err = put(t, wrong, "ke", "a", samplePDF(), "application/pdf")
	require.ErrorContains(t, err, "SignatureDoesNotMatch")
	require.Empty(t, bucketKeys(t, b.cfg.Bucket))
	_, err = wrong.DeletePrefix(ctx, "ke")
	require.Error(t, err)
}

// TestDeletePrefixRemovesOnlyThatTenant: a tenant's purge removes its
// attachments and exports, page by page, and nothing of other tenants, even
// one whose code starts with the same letters.
func TestDeletePrefixRemovesOnlyThatTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	storage.SetPageSize(st, 2)
	pdf := samplePDF()
	for _, k := range []string{"a/1", "a/2", "b/1", "b/2", "c"} {
		_, err := put(t, st, "ke", k, pdf, "application/pdf")
		require.NoError(t, err)
	}
	for _, tenant := range []string{"kenya", "so"} {
		_, err := put(t, st, tenant, "a/1", pdf, "application/pdf")
		require.NoError(t, err)
	}
	for _, k := range []string{"exports/ke/e1.zip", "exports/kenya/e1.zip"} {
		_, err := s3test.Default().Client().PutObject(ctx, &s3.PutObjectInput{Bucket: &b.cfg.Bucket, Key: aws.String(k), Body: bytes.NewReader(pdf)})
		require.NoError(t, err)
	}

	n, err := st.DeletePrefix(ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, 6, n)
	require.ElementsMatch(t, []string{"tenants/kenya/a/1", "tenants/so/a/1", "exports/kenya/e1.zip"}, bucketKeys(t, b.cfg.Bucket))

	n, err = st.DeletePrefix(ctx, "ke")
	require.NoError(t, err)
	require.Zero(t, n, "a second purge finds nothing")
	_, err = st.DeletePrefix(ctx, "")
	require.ErrorIs(t, err, storage.ErrInvalidKey, "an empty code would purge everyone")
}

// TestDeletePrefixRemovesEveryVersion: in a versioned bucket (as on AWS) a
// purge leaves no earlier version and no delete marker of the tenant behind.
func TestDeletePrefixRemovesEveryVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	client := s3test.Default().Client()
	_, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &b.cfg.Bucket,
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	for range 2 {
		_, err := put(t, st, "ke", "a/1", samplePDF(), "application/pdf")
		require.NoError(t, err)
	}
	_, err = put(t, st, "ke", "a/2", samplePDF(), "application/pdf")
	require.NoError(t, err)
	require.NoError(t, st.Delete(ctx, "ke", "a/2")) // a delete marker over a/2
	_, err = put(t, st, "so", "a/1", samplePDF(), "application/pdf")
	require.NoError(t, err)
	versions := func() (keys []string) {
		out, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: &b.cfg.Bucket})
		require.NoError(t, err)
		for _, v := range out.Versions {
			keys = append(keys, *v.Key)
		}
		for _, m := range out.DeleteMarkers {
			keys = append(keys, *m.Key+" (delete marker)")
		}
		return keys
	}
	require.Len(t, versions(), 5)

	n, err := st.DeletePrefix(ctx, "ke")
	require.NoError(t, err)
	require.Equal(t, 4, n)
	require.Equal(t, []string{"tenants/so/a/1"}, versions())
}

// TestTenantsCannotReachEachOther: through the storage API a tenant can
// neither read nor delete another tenant's object, whatever key it names.
func TestTenantsCannotReachEachOther(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	secret := samplePNG(t)
	_, err := put(t, st, "ke", "attachments/case-1/photo", secret, "image/png")
	require.NoError(t, err)

	_, _, err = get(t, st, "so", "attachments/case-1/photo")
	require.ErrorIs(t, err, storage.ErrNotFound)
	require.NoError(t, st.Delete(ctx, "so", "attachments/case-1/photo"))
	link, err := st.PresignGet(ctx, "so", "attachments/case-1/photo", "p.png")
	require.NoError(t, err)
	status, _, _ := httpGet(t, link)
	require.Equal(t, http.StatusNotFound, status)

	for _, key := range []string{"../ke/attachments/case-1/photo", "../../tenants/ke/attachments/case-1/photo",
		"/attachments/case-1/photo", "attachments//case-1/photo", "attachments/./case-1/photo", "..", ".",
		"attachments/case-1/photo?x", "attachments/case-1/photo%2F", "attachments\\case-1", " photo", ""} {
		_, _, err := get(t, st, "so", key)
		require.ErrorIs(t, err, storage.ErrInvalidKey, key)
		require.ErrorIs(t, st.Delete(ctx, "so", key), storage.ErrInvalidKey, key)
		_, err = st.PresignGet(ctx, "so", key, "p.png")
		require.ErrorIs(t, err, storage.ErrInvalidKey, key)
		_, err = put(t, st, "so", key, secret, "image/png")
		require.ErrorIs(t, err, storage.ErrInvalidKey, key)
	}
	for _, tenant := range []string{"", "KE", "../ke", "ke/attachments", "k", "ke "} {
		_, _, err := get(t, st, tenant, "attachments/case-1/photo")
		require.ErrorIs(t, err, storage.ErrInvalidKey, tenant)
	}
	got, _, err := get(t, st, "ke", "attachments/case-1/photo")
	require.NoError(t, err)
	require.Equal(t, secret, got, "the owner still has it")
	require.Equal(t, []string{"tenants/ke/attachments/case-1/photo"}, bucketKeys(t, b.cfg.Bucket))
}

// TestReady: ready with the bucket and right credentials; not ready when the
// bucket is missing.
func TestReady(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	require.NoError(t, st.Ready(ctx))
	cfg := b.cfg
	cfg.Bucket = "no-such-bucket-here"
	missing, err := storage.New(cfg)
	require.NoError(t, err)
	require.Error(t, missing.Ready(ctx))
}

// BenchmarkPut stores photos of two sizes: bytes allocated per operation
// stay flat as the size grows (the body is streamed, not buffered).
func BenchmarkPut(b *testing.B) {
	st, err := storage.New(s3test.Bucket(b))
	require.NoError(b, err)
	ctx := context.Background()
	for _, size := range []int{256 << 10, 16 << 20} {
		body := append(sampleJPEG(b), make([]byte, size)...)
		b.Run(strconv.Itoa(size>>10)+"KiB", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for i := 0; b.Loop(); i++ {
				if _, err := st.Put(ctx, "ke", "bench/"+strconv.Itoa(i%100), bytes.NewReader(body), int64(len(body)), "image/jpeg"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPresignGet(b *testing.B) {
	st, err := storage.New(s3test.Bucket(b))
	require.NoError(b, err)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.PresignGet(ctx, "ke", "attachments/case-1/photo", "photo.jpg"); err != nil {
			b.Fatal(err)
		}
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

// TestDeleteUnderRemovesOneRecordsFiles: the files under one key prefix of
// one tenant go (a record's attachments), nothing else: not a key that only
// starts with the same characters, not another tenant's.
func TestDeleteUnderRemovesOneRecordsFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t)
	storage.SetPageSize(st, 2)
	pdf := samplePDF()
	for _, k := range []string{"attachments/r1/a", "attachments/r1/b", "attachments/r1/c", "attachments/r10/a", "attachments/r2/a"} {
		_, err := put(t, st, "ke", k, pdf, "application/pdf")
		require.NoError(t, err)
	}
	_, err := put(t, st, "so", "attachments/r1/a", pdf, "application/pdf")
	require.NoError(t, err)

	n, err := st.DeleteUnder(ctx, "ke", "attachments/r1")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.ElementsMatch(t, []string{"tenants/ke/attachments/r10/a", "tenants/ke/attachments/r2/a", "tenants/so/attachments/r1/a"},
		bucketKeys(t, b.cfg.Bucket))
	for _, bad := range []string{"", "attachments/../x", "attachments/r1/"} {
		_, err := st.DeleteUnder(ctx, "ke", bad)
		require.ErrorIs(t, err, storage.ErrInvalidKey, bad)
	}
}

// TestPutTypedNarrowsTheTypes: a photo field takes images only; the narrowed
// list never widens Config.Types.
func TestPutTypedNarrowsTheTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, b := setup(t, func(c *storage.Config) { c.Types = []string{storage.TypePNG, storage.TypePDF} })
	images := []string{storage.TypePNG, storage.TypeJPEG}
	png, pdf, jpeg := samplePNG(t), samplePDF(), sampleJPEG(t)

	obj, err := st.PutTyped(ctx, "ke", "p", bytes.NewReader(png), int64(len(png)), "", images)
	require.NoError(t, err)
	require.Equal(t, storage.TypePNG, obj.ContentType)
	_, err = st.PutTyped(ctx, "ke", "d", bytes.NewReader(pdf), int64(len(pdf)), "application/pdf", images)
	require.ErrorIs(t, err, storage.ErrTypeNotAllowed, "a PDF is no image")
	_, err = st.PutTyped(ctx, "ke", "d", bytes.NewReader(pdf), int64(len(pdf)), "", images)
	require.ErrorIs(t, err, storage.ErrTypeNotAllowed, "undeclared, detected as a PDF")
	_, err = st.PutTyped(ctx, "ke", "j", bytes.NewReader(jpeg), int64(len(jpeg)), "image/jpeg", images)
	require.ErrorIs(t, err, storage.ErrTypeNotAllowed, "JPEG is not in the store's types")
	obj, err = st.PutTyped(ctx, "ke", "d", bytes.NewReader(pdf), int64(len(pdf)), "application/pdf", nil)
	require.NoError(t, err, "nil: the store's types")
	require.Equal(t, storage.TypePDF, obj.ContentType)
	require.ElementsMatch(t, []string{"tenants/ke/p", "tenants/ke/d"}, bucketKeys(t, b.cfg.Bucket))
}

// TestListPagesThroughOneTenantsPrefix: List gives the tenant's keys under
// the prefix only (not r10 for r1, not another tenant's), page by page,
// with their sizes and times; an error of the callback stops it.
func TestListPagesThroughOneTenantsPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := setup(t)
	storage.SetPageSize(st, 2)
	pdf := samplePDF()
	before := time.Now().Add(-time.Minute)
	for _, k := range []string{"attachments/r1/a", "attachments/r1/b", "attachments/r1/c", "attachments/r10/a", "exports/x"} {
		_, err := put(t, st, "ke", k, pdf, "application/pdf")
		require.NoError(t, err)
	}
	_, err := put(t, st, "so", "attachments/r1/z", pdf, "application/pdf")
	require.NoError(t, err)

	var pages [][]string
	require.NoError(t, st.List(ctx, "ke", "attachments/r1", func(page []storage.Listed) error {
		var keys []string
		for _, o := range page {
			keys = append(keys, o.Key)
			require.Equal(t, int64(len(pdf)), o.Size)
			require.True(t, o.LastModified.After(before), o.LastModified)
		}
		pages = append(pages, keys)
		return nil
	}))
	require.Equal(t, [][]string{{"attachments/r1/a", "attachments/r1/b"}, {"attachments/r1/c"}}, pages)

	var all []string
	require.NoError(t, st.List(ctx, "ke", "attachments", func(page []storage.Listed) error {
		for _, o := range page {
			all = append(all, o.Key)
		}
		return nil
	}))
	require.Equal(t, []string{"attachments/r1/a", "attachments/r1/b", "attachments/r1/c", "attachments/r10/a"}, all)

	stop := errors.New("stop")
	calls := 0
	err = st.List(ctx, "ke", "attachments", func([]storage.Listed) error { calls++; return stop })
	require.ErrorIs(t, err, stop)
	require.Equal(t, 1, calls)
	require.ErrorIs(t, st.List(ctx, "ke", "../x", func([]storage.Listed) error { return nil }), storage.ErrInvalidKey)
}

package storage

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Defaults for Config.
const (
	RegionDefault     = "us-east-1"
	PresignTTLDefault = 5 * time.Minute
	MaxSizeDefault    = 50 << 20 // 50 MiB
)

// Bucket layout: every object of a tenant lives under one of these prefixes
// followed by the tenant code and a slash (the cloud Terraform grants each
// country exactly these two prefixes).
const (
	TenantsPrefix = "tenants/"
	ExportsPrefix = "exports/"
)

// Errors returned by Store methods; test with errors.Is.
var (
	ErrNotFound       = errors.New("storage: no such object")
	ErrInvalidKey     = errors.New("storage: invalid tenant code or object key")
	ErrEmpty          = errors.New("storage: empty upload")
	ErrTooLarge       = errors.New("storage: upload larger than the size limit")
	ErrSizeMismatch   = errors.New("storage: upload length differs from its declared size")
	ErrTypeNotAllowed = errors.New("storage: file type not allowed")
	ErrTypeMismatch   = errors.New("storage: file content does not match its declared type")
)

// TypeError is a refused upload type; it matches ErrTypeNotAllowed or ErrTypeMismatch.
type TypeError struct {
	Declared string // as the client declared it
	Detected string // from the content
	Err      error
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%v (declared %q, content is %q)", e.Err, e.Declared, e.Detected)
}

// Unwrap returns ErrTypeNotAllowed or ErrTypeMismatch.
func (e *TypeError) Unwrap() error { return e.Err }

// Config configures a Store. Only Bucket is required.
type Config struct {
	// Endpoint of an S3-compatible server (e.g. http://127.0.0.1:7070 for
	// versitygw). Empty means AWS S3 in Region.
	Endpoint string
	// PublicEndpoint is the base URL presigned links use when browsers reach
	// the server at another address than the application does (on premises:
	// the reverse proxy in front of versitygw, which must pass the Host header
	// through unchanged). Defaults to Endpoint.
	PublicEndpoint string
	// Region signs requests. Defaults to the AWS configuration's (AWS_REGION),
	// else RegionDefault.
	Region string
	// Bucket holds every tenant's objects, under per-tenant prefixes.
	Bucket string
	// AccessKey and SecretKey are static credentials. When both are empty the
	// default AWS credential chain is used (environment, shared files, the
	// ECS task or EC2 instance role).
	AccessKey string
	SecretKey string
	// PathStyle addresses the bucket as <endpoint>/<bucket>/<key> rather than
	// <bucket>.<endpoint>/<key> (needed by versitygw and most local servers).
	PathStyle bool
	// PresignTTL is how long presigned download links work. Defaults to
	// PresignTTLDefault.
	PresignTTL time.Duration
	// MaxSize is the largest object Put accepts, in bytes. Defaults to MaxSizeDefault.
	MaxSize int64
	// Types are the media types Put accepts. Defaults to DefaultTypes.
	Types []string
	// HTTPClient sends the requests. Defaults to the SDK's client.
	HTTPClient *http.Client
}

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.PublicEndpoint = cmp.Or(c.PublicEndpoint, c.Endpoint)
	c.PresignTTL = cmp.Or(c.PresignTTL, PresignTTLDefault)
	c.MaxSize = cmp.Or(c.MaxSize, MaxSizeDefault)
	if len(c.Types) == 0 {
		c.Types = DefaultTypes
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Bucket == "":
		return errors.New("storage: Bucket is required")
	case (c.AccessKey == "") != (c.SecretKey == ""):
		return errors.New("storage: set both AccessKey and SecretKey, or neither (default AWS credentials)")
	case c.PresignTTL < time.Second || c.PresignTTL > 7*24*time.Hour:
		return fmt.Errorf("storage: PresignTTL %v must be between 1s and 7 days (SigV4 limit)", c.PresignTTL)
	case c.MaxSize < 0:
		return errors.New("storage: MaxSize must not be negative")
	}
	for _, e := range []string{c.Endpoint, c.PublicEndpoint} {
		if e != "" && !strings.HasPrefix(e, "http://") && !strings.HasPrefix(e, "https://") {
			return fmt.Errorf("storage: endpoint %q must start with http:// or https://", e)
		}
	}
	return nil
}

// Store keeps tenants' files in one S3 bucket, each tenant under its own
// prefix (TenantsPrefix + code + "/"). Safe for concurrent use.
type Store struct {
	cfg     Config
	client  *s3.Client
	presign *s3.PresignClient
	tls     bool  // requests go over https: payload checksums travel as trailers
	page    int32 // keys listed per page by DeletePrefix and List (tests make it small)
}

// New returns a Store for cfg. It does not contact the server (see Ready).
func New(cfg Config) (*Store, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	opts := []func(*config.LoadOptions) error{
		// Uploads are streamed (unseekable bodies): the SDK cannot hash them
		// up front. Over https a CRC32 trailer is sent (see Put); over plain
		// http (a loopback server) the payload is sent unsigned.
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKey != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(cfg.HTTPClient))
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: loading AWS configuration: %w", err)
	}
	awsCfg.Region = cmp.Or(awsCfg.Region, RegionDefault)
	cfg.Region = awsCfg.Region
	client := func(endpoint string) *s3.Client {
		return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
			o.UsePathStyle = cfg.PathStyle
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		})
	}
	s := &Store{cfg: cfg, client: client(cfg.Endpoint), tls: cfg.Endpoint == "" || strings.HasPrefix(cfg.Endpoint, "https://"),
		page: 1000}
	s.presign = s3.NewPresignClient(client(cfg.PublicEndpoint), s3.WithPresignExpires(cfg.PresignTTL))
	return s, nil
}

// Config returns the store's configuration, with defaults applied.
func (s *Store) Config() Config { return s.cfg }

var (
	codeRE = regexp.MustCompile(`^[a-z][a-z0-9]{1,15}$`)
	// segmentRE is one path segment of a key: it starts with a letter or a
	// digit (so it is never "." or ".."); no slashes, spaces, "%" or
	// control characters.
	segmentRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
)

// objectKey is the bucket key of a tenant's object: the tenant's prefix, then
// key. key is made by the caller (e.g. "attachments/<record id>/<file id>"),
// never taken as is from a request: segments of letters, digits, ".", "_"
// and "-", separated by "/", at most 512 bytes.
func objectKey(tenant, key string) (string, error) {
	if !codeRE.MatchString(tenant) || key == "" || len(key) > 512 {
		return "", ErrInvalidKey
	}
	for seg := range strings.SplitSeq(key, "/") {
		if !segmentRE.MatchString(seg) {
			return "", ErrInvalidKey
		}
	}
	return TenantsPrefix + tenant + "/" + key, nil
}

// Object describes a stored object.
type Object struct {
	// Key as the caller named it (without the tenant prefix).
	Key string
	// ContentType is the canonical media type it was stored as.
	ContentType string
	// Size in bytes.
	Size int64
}

// Put stores r (exactly size bytes) as the tenant's object key, streaming it
// to the server; only the first SniffLen bytes are held in memory, to check
// the type. It refuses (and stores nothing):
//   - size zero (ErrEmpty) or above Config.MaxSize (ErrTooLarge), before
//     reading anything;
//   - a type not in Config.Types (ErrTypeNotAllowed) or content that is not
//     of the declared type (ErrTypeMismatch), both as a *TypeError; an empty
//     or application/octet-stream declaredType takes the detected type;
//   - a body shorter or longer than size (ErrSizeMismatch).
//
// An existing object with the same key is replaced.
func (s *Store) Put(ctx context.Context, tenant, key string, r io.Reader, size int64, declaredType string) (Object, error) {
	return s.PutTyped(ctx, tenant, key, r, size, declaredType, nil)
}

// PutTyped is Put accepting only the types of allowed that Config.Types
// also allows (e.g. images for a photo field); nil allowed means
// Config.Types. The check is made on the first bytes, before anything is
// sent to the server.
func (s *Store) PutTyped(ctx context.Context, tenant, key string, r io.Reader, size int64, declaredType string, allowed []string) (Object, error) {
	accepted := s.cfg.Types
	if allowed != nil {
		accepted = slices.DeleteFunc(slices.Clone(allowed), func(t string) bool { return !slices.Contains(s.cfg.Types, t) })
	}
	full, err := objectKey(tenant, key)
	if err != nil {
		return Object{}, err
	}
	switch {
	case size <= 0:
		return Object{}, ErrEmpty
	case size > s.cfg.MaxSize:
		return Object{}, fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, size, s.cfg.MaxSize)
	}
	head := make([]byte, min(size, SniffLen))
	if n, err := io.ReadFull(r, head); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Object{}, fmt.Errorf("%w (declared %d bytes, got %d)", ErrSizeMismatch, size, n)
		}
		return Object{}, fmt.Errorf("storage: reading the upload: %w", err)
	}
	ctype, err := resolveType(declaredType, Detect(head), accepted)
	if err != nil {
		return Object{}, err
	}
	body := &exactReader{r: io.MultiReader(bytes.NewReader(head), r), remaining: size}
	in := &s3.PutObjectInput{Bucket: &s.cfg.Bucket, Key: &full, Body: body, ContentLength: &size, ContentType: &ctype}
	if s.tls {
		in.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32
	}
	_, err = s.client.PutObject(ctx, in, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
	if body.err != nil { // the body's own verdict explains the failure best
		if err == nil { // the server took the body before the reader saw the problem
			_, _ = s.client.DeleteObject(context.WithoutCancel(ctx), &s3.DeleteObjectInput{Bucket: &s.cfg.Bucket, Key: &full})
		}
		return Object{}, body.err
	}
	if err != nil {
		return Object{}, fmt.Errorf("storage: storing %s: %w", full, err)
	}
	return Object{Key: key, ContentType: ctype, Size: size}, nil
}

// exactReader passes exactly remaining bytes of r through and fails with
// ErrSizeMismatch when r ends earlier or holds more. It checks that r has
// ended before it hands over the last bytes, so that a longer body never
// reaches the server complete (and is never stored).
type exactReader struct {
	r         io.Reader
	remaining int64
	err       error
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.remaining == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.remaining {
		p = p[:e.remaining]
	}
	n, err := e.r.Read(p)
	e.remaining -= int64(n)
	switch {
	case e.remaining == 0 && (err == nil || errors.Is(err, io.EOF)):
		if !errors.Is(err, io.EOF) {
			var b [1]byte
			m, perr := io.ReadFull(e.r, b[:])
			switch {
			case m > 0:
				e.err = fmt.Errorf("%w (more bytes than declared)", ErrSizeMismatch)
				return 0, e.err
			case !errors.Is(perr, io.EOF):
				e.err = perr
				return 0, perr
			}
		}
		return n, nil
	case errors.Is(err, io.EOF):
		e.err = fmt.Errorf("%w (%d bytes missing)", ErrSizeMismatch, e.remaining)
		return n, e.err
	case err != nil:
		e.err = err
	}
	return n, err
}

// Get opens the tenant's object key. The caller closes the returned body.
func (s *Store) Get(ctx context.Context, tenant, key string) (io.ReadCloser, Object, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return nil, Object{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.cfg.Bucket, Key: &full})
	if err != nil {
		return nil, Object{}, s.wrap(full, err)
	}
	return out.Body, Object{Key: key, ContentType: aws.ToString(out.ContentType), Size: aws.ToInt64(out.ContentLength)}, nil
}

// PresignGet returns a URL that downloads the tenant's object key for
// Config.PresignTTL, as an attachment named filename (so browsers save it
// rather than render it). Presigning is local: it neither contacts the
// server nor checks that the object exists.
func (s *Store) PresignGet(ctx context.Context, tenant, key, filename string) (string, error) {
	full, err := objectKey(tenant, key)
	if err != nil {
		return "", err
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.cfg.Bucket, Key: &full,
		ResponseContentDisposition: aws.String(attachment(filename))})
	if err != nil {
		return "", fmt.Errorf("storage: presigning %s: %w", full, err)
	}
	return req.URL, nil
}

// attachment is a Content-Disposition value for a download saved as name
// (RFC 6266; non-ASCII names are encoded as RFC 2231 filename*).
func attachment(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '\\' || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(strings.TrimSpace(name)); len(r) > 200 {
		name = string(r[:200])
	}
	if strings.Trim(name, ". ") == "" {
		name = "download"
	}
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// Delete removes the tenant's object key; a missing object is not an error.
func (s *Store) Delete(ctx context.Context, tenant, key string) error {
	full, err := objectKey(tenant, key)
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.cfg.Bucket, Key: &full}); err != nil {
		return s.wrap(full, err)
	}
	return nil
}

// DeletePrefix removes every object of a tenant (under TenantsPrefix and
// ExportsPrefix), including the earlier versions a versioned bucket keeps
// (AWS), a page of at most 1000 at a time, and returns how many object
// versions it removed. Run again after a failure: it resumes where it stopped.
func (s *Store) DeletePrefix(ctx context.Context, tenant string) (int, error) {
	if !codeRE.MatchString(tenant) {
		return 0, ErrInvalidKey
	}
	deleted := 0
	for _, prefix := range []string{TenantsPrefix + tenant + "/", ExportsPrefix + tenant + "/"} {
		n, err := s.deleteUnder(ctx, prefix)
		deleted += n
		if err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

// DeleteUnder removes every object (and every version) of the tenant whose
// key starts with keyPrefix + "/", e.g. "attachments/<record id>" for the
// files of one record, and returns how many object versions it removed.
// Run again after a failure: it resumes where it stopped.
func (s *Store) DeleteUnder(ctx context.Context, tenant, keyPrefix string) (int, error) {
	full, err := objectKey(tenant, keyPrefix)
	if err != nil {
		return 0, err
	}
	return s.deleteUnder(ctx, full+"/")
}

// deleteUnder removes every object version and delete marker under prefix
// (a full bucket key prefix).
func (s *Store) deleteUnder(ctx context.Context, prefix string) (int, error) {
	deleted := 0
	pages := s3.NewListObjectVersionsPaginator(s.client, &s3.ListObjectVersionsInput{Bucket: &s.cfg.Bucket,
		Prefix: aws.String(prefix), MaxKeys: aws.Int32(s.page)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return deleted, fmt.Errorf("storage: listing %s: %w", prefix, err)
		}
		var ids []types.ObjectIdentifier
		for _, v := range page.Versions {
			ids = append(ids, types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			continue
		}
		out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &s.cfg.Bucket,
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return deleted, fmt.Errorf("storage: deleting under %s: %w", prefix, err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return deleted + len(ids) - len(out.Errors), fmt.Errorf("storage: deleting %s: %s %s (and %d more failures)",
				aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message), len(out.Errors)-1)
		}
		deleted += len(ids)
	}
	return deleted, nil
}

// Listed is an object as a listing shows it.
type Listed struct {
	// Key as the caller named it (without the tenant prefix).
	Key string
	// Size in bytes.
	Size int64
	// LastModified is when the server stored it.
	LastModified time.Time
}

// List calls fn with the tenant's objects under keyPrefix ("attachments":
// every key that starts with "attachments/"), a page (at most 1000) at a
// time, in key order. Only current objects are listed (not the earlier
// versions of a versioned bucket). An error of fn stops the listing and is
// returned.
func (s *Store) List(ctx context.Context, tenant, keyPrefix string, fn func(page []Listed) error) error {
	full, err := objectKey(tenant, keyPrefix)
	if err != nil {
		return err
	}
	strip := TenantsPrefix + tenant + "/"
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.cfg.Bucket,
		Prefix: aws.String(full + "/"), MaxKeys: aws.Int32(s.page)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("storage: listing %s: %w", full, err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		out := make([]Listed, 0, len(page.Contents))
		for _, o := range page.Contents {
			out = append(out, Listed{Key: strings.TrimPrefix(aws.ToString(o.Key), strip), Size: aws.ToInt64(o.Size),
				LastModified: aws.ToTime(o.LastModified)})
		}
		if err := fn(out); err != nil {
			return err
		}
	}
	return nil
}

// Ready checks that the bucket answers with these credentials (for /readyz).
func (s *Store) Ready(ctx context.Context) error {
	if _, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.cfg.Bucket}); err != nil {
		return fmt.Errorf("storage: bucket %s: %w", s.cfg.Bucket, err)
	}
	return nil
}

// wrap maps "no such key" answers to ErrNotFound.
func (s *Store) wrap(key string, err error) error {
	var nsk *types.NoSuchKey
	var api smithy.APIError
	if errors.As(err, &nsk) || (errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")) {
		return ErrNotFound
	}
	return fmt.Errorf("storage: %s: %w", key, err)
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/storage"
)

// storageFlags configure the S3 bucket of the tenants' files (serve, worker, dev).
type storageFlags struct {
	endpoint       string
	publicEndpoint string
	region         string
	bucket         string
	accessKey      string
	secretKey      string
}

func (f *storageFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.bucket, "s3-bucket", "", "S3 bucket of the tenants' files (attachments, exports); empty: no file storage")
	fl.StringVar(&f.endpoint, "s3-endpoint", "", "URL of an S3-compatible server (e.g. versitygw: http://127.0.0.1:7070), addressed path-style; empty: AWS S3")
	fl.StringVar(&f.publicEndpoint, "s3-public-endpoint", "", "base URL of presigned download links when browsers reach the S3 server elsewhere than --s3-endpoint (a reverse proxy that keeps the Host header)")
	fl.StringVar(&f.region, "s3-region", "", "S3 region (default: AWS_REGION from the environment, else "+storage.RegionDefault+")")
	fl.StringVar(&f.accessKey, "s3-access-key", "", "S3 access key; with --s3-secret-key, else the default AWS credential chain (environment, task or instance role)")
	fl.StringVar(&f.secretKey, "s3-secret-key", "", "S3 secret key (prefer the environment variable CPIMS_S3_SECRET_KEY)")
}

// open returns the file storage, or nil when no bucket is configured.
func (f *storageFlags) open() (*storage.Store, error) {
	if f.bucket == "" {
		if f.endpoint != "" || f.accessKey != "" {
			return nil, fmt.Errorf("--s3-endpoint or --s3-access-key given without --s3-bucket")
		}
		return nil, nil
	}
	st, err := storage.New(storage.Config{Endpoint: f.endpoint, PublicEndpoint: f.publicEndpoint, Region: f.region,
		Bucket: f.bucket, AccessKey: f.accessKey, SecretKey: f.secretKey, PathStyle: f.endpoint != ""})
	if err != nil {
		return nil, fmt.Errorf("file storage (--s3-*): %w", err)
	}
	return st, nil
}

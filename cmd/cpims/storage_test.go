package main

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/storage"
)

// TestStorageFlags: the --s3-* flags, also as CPIMS_S3_* variables, make the
// file storage; no bucket means none; half-given settings are refused.
func TestStorageFlags(t *testing.T) {
	parse := func(t *testing.T, args ...string) (*storage.Store, error) {
		t.Helper()
		var f storageFlags
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		f.register(cmd)
		require.NoError(t, cmd.ParseFlags(args))
		require.NoError(t, applyEnv(cmd))
		return f.open()
	}
	st, err := parse(t)
	require.NoError(t, err)
	require.Nil(t, st, "no bucket: no file storage")

	_, err = parse(t, "--s3-endpoint", "http://127.0.0.1:7070")
	require.ErrorContains(t, err, "without --s3-bucket")
	_, err = parse(t, "--s3-bucket", "b", "--s3-access-key", "k")
	require.ErrorContains(t, err, "AccessKey and SecretKey")

	st, err = parse(t, "--s3-bucket", "cloud-bucket")
	require.NoError(t, err)
	require.False(t, st.Config().PathStyle, "AWS: virtual-hosted addressing")
	require.Empty(t, st.Config().AccessKey, "AWS: the default credential chain")

	// Not parallel: t.Setenv.
	t.Setenv("CPIMS_S3_SECRET_KEY", "s")
	t.Setenv("CPIMS_S3_REGION", "eu-west-1")
	st, err = parse(t, "--s3-bucket", "b", "--s3-endpoint", "http://127.0.0.1:7070", "--s3-access-key", "k",
		"--s3-public-endpoint", "https://cpims.gov.example")
	require.NoError(t, err)
	c := st.Config()
	require.Equal(t, storage.Config{Endpoint: "http://127.0.0.1:7070", PublicEndpoint: "https://cpims.gov.example",
		Region: "eu-west-1", Bucket: "b", AccessKey: "k", SecretKey: "s", PathStyle: true,
		PresignTTL: storage.PresignTTLDefault, MaxSize: storage.MaxSizeDefault, Types: storage.DefaultTypes}, c)

}

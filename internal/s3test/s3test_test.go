package s3test_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/storage"
)

// TestSidecarMetadata: on a file system without extended attributes the
// server keeps object metadata in files beside the data, and objects keep
// their content type.
func TestSidecarMetadata(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, err := s3test.Start(ctx, s3test.Options{Sidecar: true})
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	require.True(t, srv.Sidecar)
	require.NoError(t, srv.CreateBucket(ctx, "files"))
	require.NoError(t, srv.CreateBucket(ctx, "files"), "creating an existing bucket of ours is not an error")

	st, err := storage.New(srv.Config("files"))
	require.NoError(t, err)
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	_, err = st.Put(ctx, "ke", "a/1", bytes.NewReader(pdf), int64(len(pdf)), "application/pdf")
	require.NoError(t, err)
	rc, obj, err := st.Get(ctx, "ke", "a/1")
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	require.NoError(t, err)
	require.Equal(t, pdf, got)
	require.Equal(t, storage.TypePDF, obj.ContentType, "the content type survives in the sidecar")
	entries, err := os.ReadDir(filepath.Join(srv.Dir, "meta"))
	require.NoError(t, err)
	require.NotEmpty(t, entries, "metadata is written to the sidecar directory")
}

package pgcluster_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/pgcluster"
)

func TestStartReuseStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var c *pgcluster.Cluster
	// Not t.TempDir(): its parent is private to root, and the server may run as another user.
	dir, err := os.MkdirTemp("", "pgcluster-test-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: true})
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "create table kept (v text); insert into kept values ('still here')")
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))
	require.NoError(t, c.Stop())
	_, err = pgx.Connect(ctx, c.SuperuserURL("postgres"))
	require.Error(t, err, "the server must be stopped")

	// Starting again reuses the data directory.
	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir})
	require.NoError(t, err)
	defer c.Stop()
	conn, err = pgx.Connect(ctx, c.SuperuserURL("postgres"))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var v string
	require.NoError(t, conn.QueryRow(ctx, "select v from kept").Scan(&v))
	require.Equal(t, "still here", v)
	var listen string
	require.NoError(t, conn.QueryRow(ctx, "show listen_addresses").Scan(&listen))
	require.Equal(t, "127.0.0.1", listen)
}

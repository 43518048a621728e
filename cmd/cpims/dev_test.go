package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDevListensOnLoopbackByDefault(t *testing.T) {
	t.Parallel()
	cmd := newDevCmd(&globals{})
	require.Equal(t, "127.0.0.1:8080", cmd.Flags().Lookup("addr").DefValue)
	require.True(t, loopbackAddr(cmd.Flags().Lookup("addr").DefValue))
	require.Equal(t, "127.0.0.1:9090", cmd.Flags().Lookup("ops-addr").DefValue)
	for addr, loopback := range map[string]bool{"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:8080": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.5:8080": false, "[::]:8080": false, "garbage": false} {
		require.Equal(t, loopback, loopbackAddr(addr), addr)
	}
	serve := newServeCmd(&globals{})
	require.Equal(t, ":8080", serve.Flags().Lookup("addr").DefValue, "servers listen on every interface, behind their proxy")
	require.Equal(t, "127.0.0.1:9090", serve.Flags().Lookup("ops-addr").DefValue)
}

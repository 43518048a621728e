package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/devices"
)

// deviceKeyFlags give the instance's device key secrets (docs/devices.md):
// a value "NEW,OLD,...", from a flag (CPIMS_DEVICE_KEY_SECRET) or a file
// (CPIMS_DEVICE_KEY_SECRET_FILE, e.g. a mounted secret).
type deviceKeyFlags struct {
	secret string
	file   string
}

func (f *deviceKeyFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.secret, "device-key-secret", "", "secret(s) sealing the device keys at rest, \"NEW,OLD\" while rotating (the first seals, all open); "+
		"`cpims devices new-secret` prints one; keep it out of the database and its backups")
	fl.StringVar(&f.file, "device-key-secret-file", "", "file holding --device-key-secret (e.g. a mounted secret)")
}

// keyring is nil when no secret is configured.
func (f *deviceKeyFlags) keyring() (*devices.Keyring, error) {
	value := f.secret
	if f.file != "" {
		if f.secret != "" {
			return nil, errors.New("give --device-key-secret or --device-key-secret-file, not both")
		}
		b, err := os.ReadFile(f.file)
		if err != nil {
			return nil, fmt.Errorf("reading --device-key-secret-file: %w", err)
		}
		value = string(b)
	}
	secrets := devices.ParseSecrets(value)
	if len(secrets) == 0 {
		if f.file != "" {
			return nil, fmt.Errorf("--device-key-secret-file %s is empty", f.file)
		}
		return nil, nil
	}
	return devices.NewKeyring(secrets...)
}

// devDeviceKeySecret keeps `cpims dev`'s secret under its data directory, so
// devices registered in one run still open in the next.
func devDeviceKeySecret(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "device-key-secret")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	s := devices.NewSecret()
	return s, os.WriteFile(path, []byte(s+"\n"), 0o600)
}

func newDevicesCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "devices",
		Short: "Device keys of the browsers that keep offline copies: the secret that seals them at rest",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "new-secret",
		Short: "Print a new random device key secret (for --device-key-secret)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), devices.NewSecret())
			return err
		},
	})
	var kf deviceKeyFlags
	var code string
	var all bool
	var concurrency int
	reseal := &cobra.Command{
		Use:   "reseal (--tenant CODE | --all)",
		Short: "Seal every stored device key with the current (first) device key secret",
		Long: "Rotation: start the servers with --device-key-secret \"NEW,OLD\" (the new secret first: it seals, both open),\n" +
			"run this with the same value, then drop OLD. It also seals keys stored in clear before the upgrade\n" +
			"(migration device_keys_sealed). One transaction per tenant; prints each tenant as it is done; running it\n" +
			"again is harmless. Exits 1 if a tenant failed, saying why (e.g. a key sealed with a secret not given).",
		Example: "  CPIMS_DEVICE_KEY_SECRET=\"$NEW,$OLD\" cpims devices reseal --all",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			keys, err := kf.keyring()
			if err != nil {
				return err
			}
			if keys == nil {
				return devices.ErrNoSecret
			}
			ctx := cmd.Context()
			d, codes, err := openTenants(ctx, g, code, all)
			if err != nil {
				return err
			}
			defer d.close()
			fmt.Fprintf(cmd.OutOrStdout(), "sealing device keys with secret %s in %d tenant(s)\n", keys.ID(), len(codes))
			return resealTenants(ctx, devices.New(d.platform, devices.Config{Keys: keys}), codes, max(concurrency, 1), cmd)
		},
	}
	kf.register(reseal)
	f := reseal.Flags()
	f.StringVar(&code, "tenant", "", "code of the tenant whose device keys to seal")
	f.BoolVar(&all, "all", false, "every tenant that has data (active or suspended)")
	f.IntVar(&concurrency, "concurrency", 4, "with --all, tenants sealed at once")
	reseal.MarkFlagsMutuallyExclusive("tenant", "all")
	reseal.MarkFlagsOneRequired("tenant", "all")
	cmd.AddCommand(reseal)
	return cmd
}

// resealTenants reseals codes, concurrency at a time, printing one line per
// tenant as it finishes; an error names the tenants that failed.
func resealTenants(ctx context.Context, s *devices.Service, codes []string, concurrency int, cmd *cobra.Command) error {
	var mu sync.Mutex
	var failed []string
	done := 0
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(concurrency, max(len(codes), 1)) {
		wg.Go(func() {
			for c := range next {
				rep, err := s.Reseal(ctx, c)
				mu.Lock()
				done++
				if err != nil {
					failed = append(failed, c)
					fmt.Fprintf(cmd.ErrOrStderr(), "[%d/%d] tenant %s: not sealed: %v\n", done, len(codes), c, cliError(err))
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "[%d/%d] tenant %s: %d sealed (were in clear), %d resealed, %d already current\n",
						done, len(codes), c, rep.Sealed, rep.Resealed, rep.Current)
				}
				mu.Unlock()
			}
		})
	}
	for _, c := range codes {
		next <- c
	}
	close(next)
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("device keys of %d tenant(s) not sealed (%s): fix what is said above and run the command again", len(failed), strings.Join(failed, ", "))
	}
	return nil
}

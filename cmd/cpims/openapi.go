package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/api"
)

func newOpenAPICmd() *cobra.Command {
	var which, format, write string
	cmd := &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 specs (tenant or platform API), or write both to a directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			specs, err := api.Specs()
			if err != nil {
				return err
			}
			if write != "" {
				for _, s := range specs {
					path := filepath.Join(write, s.File)
					if err := os.WriteFile(path, s.YAML, 0o644); err != nil {
						return err
					}
					fmt.Fprintln(cmd.ErrOrStderr(), "wrote", path)
				}
				return nil
			}
			for _, s := range specs {
				if s.Name != which {
					continue
				}
				switch format {
				case "yaml":
					_, err = cmd.OutOrStdout().Write(s.YAML)
				case "json":
					_, err = cmd.OutOrStdout().Write(s.JSON)
				default:
					return fmt.Errorf("--format must be yaml or json, not %q", format)
				}
				return err
			}
			return fmt.Errorf("--api must be tenant or platform, not %q", which)
		},
	}
	cmd.Flags().StringVar(&which, "api", "tenant", "which API: tenant or platform")
	cmd.Flags().StringVar(&format, "format", "yaml", "yaml or json")
	cmd.Flags().StringVar(&write, "write", "", "write every spec as YAML into this directory (e.g. api/openapi)")
	return cmd
}

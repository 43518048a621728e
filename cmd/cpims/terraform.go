package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// PluginDirDefault is the provider mirror of offline machines; init uses it when it exists.
const PluginDirDefault = "/opt/tf-plugins"

// countriesOutput is the output through which an environment declares its countries.
const countriesOutput = "countries"

// tfEnv drives Terraform (through terraform-exec) in one environment directory,
// streaming Terraform's own output to out.
type tfEnv struct {
	dir       string
	binary    string
	version   string
	pluginDir string // "" when no provider mirror is used
	varFiles  []string
	tf        *tfexec.Terraform
	out       io.Writer
}

// newTFEnv checks the environment directory and finds the terraform binary
// (binary, else terraform on PATH). pluginDir is used if it exists; an
// explicitly requested one must exist.
func newTFEnv(ctx context.Context, dir, binary, pluginDir string, pluginDirExplicit bool, varFiles []string, out io.Writer) (*tfEnv, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if tfs, _ := filepath.Glob(filepath.Join(abs, "*.tf")); len(tfs) == 0 {
		return nil, fmt.Errorf("no Terraform configuration (*.tf) in %s: --env must be an environment directory such as infra/terraform/envs/aws-example", dir)
	}
	if binary == "" {
		if binary, err = exec.LookPath("terraform"); err != nil {
			return nil, errors.New("terraform is not on PATH: install Terraform 1.11 or later, or pass --terraform /path/to/terraform")
		}
	}
	if fi, err := os.Stat(pluginDir); pluginDir == "" || err != nil || !fi.IsDir() {
		if pluginDirExplicit && pluginDir != "" {
			return nil, fmt.Errorf("--terraform-plugin-dir %s is not a directory", pluginDir)
		}
		pluginDir = ""
	}
	for i, vf := range varFiles {
		if varFiles[i], err = filepath.Abs(vf); err != nil {
			return nil, err
		}
		if _, err := os.Stat(varFiles[i]); err != nil {
			return nil, fmt.Errorf("--var-file: %w", err)
		}
	}
	tf, err := tfexec.NewTerraform(abs, binary)
	if err != nil {
		return nil, fmt.Errorf("terraform at %s: %w", binary, err)
	}
	e := &tfEnv{dir: abs, binary: binary, pluginDir: pluginDir, varFiles: varFiles, tf: tf, out: out}
	v, _, err := tf.Version(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("running %s version: %w", binary, err)
	}
	e.version = v.String()
	return e, nil
}

// streaming directs Terraform's stdout and stderr to the user, indented.
func (e *tfEnv) streaming() func() {
	w := &indentWriter{w: e.out, prefix: "    "}
	e.tf.SetStdout(w)
	e.tf.SetStderr(w)
	return func() { w.flush(); e.tf.SetStdout(io.Discard); e.tf.SetStderr(io.Discard) }
}

// init runs terraform init (with the provider mirror when there is one).
func (e *tfEnv) init(ctx context.Context) error {
	defer e.streaming()()
	var opts []tfexec.InitOption
	if e.pluginDir != "" {
		opts = append(opts, tfexec.PluginDir(e.pluginDir))
	}
	return tfError(e.tf.Init(ctx, opts...))
}

// country is one entry of an environment's countries output.
type country struct {
	Name    string   `json:"name"`
	Locales []string `json:"locales"`
}

// tfPlan is what provisioning needs from a saved plan.
type tfPlan struct {
	File                 string
	Changes              bool // anything to apply, outputs included
	Add, Change, Destroy int
	// Countries is the environment's countries output; nil if it has none.
	Countries map[string]country
}

func (p tfPlan) summary() string {
	return fmt.Sprintf("%d to add, %d to change, %d to destroy", p.Add, p.Change, p.Destroy)
}

// plan runs terraform plan into file and reads the saved plan back.
func (e *tfEnv) plan(ctx context.Context, file string) (tfPlan, error) {
	opts := []tfexec.PlanOption{tfexec.Out(file)}
	for _, vf := range e.varFiles {
		opts = append(opts, tfexec.VarFile(vf))
	}
	restore := e.streaming()
	changes, err := e.tf.Plan(ctx, opts...)
	restore()
	if err != nil {
		return tfPlan{}, tfError(err)
	}
	p, err := e.tf.ShowPlanFile(ctx, file)
	if err != nil {
		return tfPlan{}, fmt.Errorf("reading the saved plan: %w", tfError(err))
	}
	out, err := summarisePlan(p)
	out.File, out.Changes = file, changes
	return out, err
}

// summarisePlan counts resource changes the way Terraform's own summary does
// and decodes the countries output.
func summarisePlan(p *tfjson.Plan) (tfPlan, error) {
	var out tfPlan
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		a := rc.Change.Actions
		switch {
		case a.Replace():
			out.Add++
			out.Destroy++
		case a.Create():
			out.Add++
		case a.Update():
			out.Change++
		case a.Delete():
			out.Destroy++
		}
	}
	if p.PlannedValues == nil {
		return out, nil
	}
	o, ok := p.PlannedValues.Outputs[countriesOutput]
	if !ok || o == nil {
		return out, nil
	}
	raw, err := json.Marshal(o.Value)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(raw, &out.Countries); err != nil || out.Countries == nil {
		return out, fmt.Errorf("output %q must be a map of tenant code to {name, locales}, not %s", countriesOutput, raw)
	}
	return out, nil
}

// apply applies exactly the saved plan. Variable files are given again: ephemeral
// variables must be set in both phases (TF_VAR_* from the environment are).
func (e *tfEnv) apply(ctx context.Context, plan tfPlan) error {
	defer e.streaming()()
	opts := []tfexec.ApplyOption{tfexec.DirOrPlan(plan.File)}
	for _, vf := range e.varFiles {
		opts = append(opts, tfexec.VarFile(vf))
	}
	return tfError(e.tf.Apply(ctx, opts...))
}

// tfError shortens terraform-exec's errors, which repeat Terraform's stderr
// (already shown to the user), to their first line.
func tfError(err error) error {
	if err == nil {
		return nil
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return errors.New(first)
}

// declaredCodes lists the codes of countries, sorted, for messages.
func declaredCodes(countries map[string]country) string {
	if len(countries) == 0 {
		return "none"
	}
	codes := make([]string, 0, len(countries))
	for c := range countries {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}

// indentWriter prefixes every line it writes; safe for Terraform's concurrent stdout and stderr.
type indentWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	iw.buf = append(iw.buf, p...)
	for {
		i := bytes.IndexByte(iw.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if _, err := fmt.Fprintf(iw.w, "%s%s\n", iw.prefix, iw.buf[:i]); err != nil {
			return 0, err
		}
		iw.buf = iw.buf[i+1:]
	}
}

func (iw *indentWriter) flush() {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if len(iw.buf) > 0 {
		fmt.Fprintf(iw.w, "%s%s\n", iw.prefix, iw.buf)
		iw.buf = nil
	}
}

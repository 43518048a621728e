package api

import (
	"encoding/json"

	"github.com/danielgtaylor/huma/v2"
)

// Spec is one rendered OpenAPI document.
type Spec struct {
	Name string // "tenant" or "platform"
	File string // file name under api/openapi
	YAML []byte
	JSON []byte
}

// Specs renders the tenant and platform API specs from the code.
func Specs() ([]Spec, error) {
	s, err := New(nil, nil, Config{})
	if err != nil {
		return nil, err
	}
	var out []Spec
	for _, a := range []struct {
		name, file string
		api        huma.API
	}{{"tenant", "tenant.yaml", s.tenantAPI}, {"platform", "platform.yaml", s.platformAPI}} {
		y, err := a.api.OpenAPI().YAML()
		if err != nil {
			return nil, err
		}
		j, err := json.MarshalIndent(a.api.OpenAPI(), "", "  ")
		if err != nil {
			return nil, err
		}
		out = append(out, Spec{Name: a.name, File: a.file, YAML: y, JSON: j})
	}
	return out, nil
}

package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/cpims-hosted/cpims/matching/synthetic"
)

func main() {
	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 2000, Traces: 200, Seed: 1})
	fmt.Println(ds.Families, ds.Children, len(ds.Cases), len(ds.Requests))
	e := json.NewEncoder(os.Stdout)
	for _, c := range ds.Cases[:3] {
		e.Encode(c)
	}
	for _, r := range ds.Requests[:3] {
		e.Encode(r)
		for _, t := range r.Traces {
			for _, c := range ds.Cases {
				if c.ID == t.CaseID {
					e.Encode(c)
				}
			}
		}
	}
}

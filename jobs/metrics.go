package jobs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Collector exports River job counts by queue, kind and state as the gauge
// cpims_river_jobs, read from the database at scrape time.
type Collector struct {
	pool *pgxpool.Pool
	desc *prometheus.Desc
}

// NewCollector returns a Collector reading River's tables through pool.
func NewCollector(pool *pgxpool.Pool) *Collector {
	return &Collector{pool: pool, desc: prometheus.NewDesc("cpims_river_jobs",
		"River jobs by queue, kind and state.", []string{"queue", "kind", "state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := c.pool.Query(ctx, "select queue, kind, state::text, count(*) from river.river_job group by 1, 2, 3")
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var queue, kind, state string
		var n int64
		if err := rows.Scan(&queue, &kind, &state, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(c.desc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), queue, kind, state)
	}
}

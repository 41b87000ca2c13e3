// Grafana dashboards shipped as ConfigMaps (label grafana_dashboard): each data value must be dashboard JSON whose
// queries use only Conclave series that the services register, as listed in deploy/README.md ("Metrics").
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Suffixes Prometheus adds to a timer's or summary's series (histogram buckets, count, sum, max). */
const DERIVED = ["_bucket", "_count", "_sum", "_max"];

/**
 * The documented series: every `conclave_…` name in the "Prometheus series" column of the metrics table of
 * deploy/README.md, i.e. the Micrometer names with dots as underscores and the unit or `_total` suffix.
 */
export function documentedSeries(repoRoot) {
  const readme = join(repoRoot, "deploy/README.md");
  const series = new Set();
  if (!existsSync(readme)) return series;
  for (const line of readFileSync(readme, "utf8").split("\n")) {
    const cells = line.split("|");
    if (cells.length < 4) continue;
    for (const match of cells[2].matchAll(/`(conclave_[a-z0-9_]+)`/g)) series.add(match[1]);
  }
  return series;
}

/** Every PromQL expression of a dashboard, its rows' panels included. */
function expressions(dashboard) {
  const out = [];
  const visit = (panels) => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) if (typeof target.expr === "string") out.push([panel.title, target.expr]);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return out;
}

function known(name, documented) {
  if (documented.has(name)) return true;
  return DERIVED.some((suffix) => name.endsWith(suffix) && documented.has(name.slice(0, -suffix.length)));
}

/** @returns {string[]} problems of one ConfigMap labelled as a Grafana dashboard */
export function dashboardProblems(configMap, documented) {
  const problems = [];
  const files = Object.entries(configMap.data ?? {});
  if (files.length === 0) problems.push("a grafana_dashboard ConfigMap without data");
  if (documented.size === 0) problems.push("deploy/README.md lists no conclave_ series to check the dashboard against");
  for (const [file, text] of files) {
    let dashboard;
    try {
      dashboard = JSON.parse(text);
    } catch (error) {
      problems.push(`${file} is not JSON: ${error.message}`);
      continue;
    }
    const queries = expressions(dashboard);
    if (!dashboard.title || queries.length === 0) problems.push(`${file} has no title or no queries`);
    for (const [panel, expr] of queries) {
      for (const match of expr.matchAll(/\bconclave_[a-z0-9_]+/g)) {
        if (!known(match[0], documented)) {
          problems.push(`${file}, panel "${panel}": ${match[0]} is no series of deploy/README.md's metrics table`);
        }
      }
    }
  }
  return problems;
}

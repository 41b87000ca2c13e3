// One rendered overlay: its resources, what they refer to, and the small helpers the checks share.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

export const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet"]);

export class Overlay {
  constructor(dir, resources) {
    this.dir = dir;
    this.name = basename(dir);
    this.resources = resources;
    this.externalSecrets = readExternalSecrets(dir);
  }

  of(kind) {
    return this.resources.filter((r) => r.kind === kind);
  }

  find(kind, name) {
    return this.resources.find((r) => r.kind === kind && r.metadata?.name === name);
  }

  workloads() {
    return this.resources.filter((r) => WORKLOAD_KINDS.has(r.kind));
  }

  /** The Kafka topics by topic name (spec.topicName or the resource name). */
  topics() {
    return new Map(this.of("KafkaTopic").map((t) => [t.spec?.topicName ?? t.metadata.name, t]));
  }

  /** Brokers of a Strimzi cluster: the replicas of its node pools with the broker role. */
  brokers(cluster) {
    return this.of("KafkaNodePool")
      .filter((pool) => pool.metadata?.labels?.["strimzi.io/cluster"] === cluster && pool.spec?.roles?.includes("broker"))
      .reduce((sum, pool) => sum + (pool.spec.replicas ?? 0), 0);
  }

  /**
   * Checks a reference to a Secret or ConfigMap (and to one of its keys); a Secret may also be one the overlay
   * declares as created outside it (external-secrets.txt).
   * @returns {string|undefined} the problem, undefined when the reference resolves
   */
  unresolved(kind, name, key) {
    const resource = this.find(kind, name);
    if (resource) {
      const keys = new Set([...Object.keys(resource.data ?? {}), ...Object.keys(resource.stringData ?? {})]);
      return key === undefined || keys.has(key) ? undefined : `${kind} ${name} has no key ${key}`;
    }
    if (kind === "Secret" && this.externalSecrets.has(name)) {
      const keys = this.externalSecrets.get(name);
      return key === undefined || keys.has(key)
        ? undefined
        : `external Secret ${name} declares no key ${key} (${this.name}/external-secrets.txt)`;
    }
    const external = kind === "Secret" ? ` nor declared in ${this.name}/external-secrets.txt` : "";
    return `${kind} ${name} is not in the rendered overlay${external}`;
  }
}

/** external-secrets.txt: "<secret name> <key> <key>…" per line, for Secrets that are created by hand. */
function readExternalSecrets(dir) {
  const secrets = new Map();
  const file = join(dir, "external-secrets.txt");
  if (!existsSync(file)) return secrets;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [name, ...keys] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (name) secrets.set(name, new Set(keys));
  }
  return secrets;
}

/**
 * Does a selector select these labels? A LabelSelector (matchLabels/matchExpressions; empty selects everything)
 * or, with service = true, a Service's plain map (empty selects nothing).
 */
export function selects(selector, labels = {}, { service = false } = {}) {
  if (!selector) return false;
  const matchLabels = service ? selector : selector.matchLabels ?? {};
  if (service && Object.keys(matchLabels).length === 0) return false;
  const labelsMatch = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
  const expressionsMatch = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return values.includes(labels[key]);
      case "NotIn":
        return !values.includes(labels[key]);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        return false;
    }
  });
  return labelsMatch && expressionsMatch;
}

/**
 * The environment of a container as Kubernetes builds it (env wins over envFrom), with where each variable comes
 * from; unresolvable references are reported into problems.
 * @returns {Map<string, {value?: string, from: string, fieldPath?: string, secret?: string}>}
 */
export function containerEnv(container, overlay, problems) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? "ConfigMap" : "Secret";
    const problem = overlay.unresolved(kind, ref?.name);
    if (problem) {
      if (!ref?.optional) problems.push(`envFrom: ${problem}`);
      continue;
    }
    const resource = overlay.find(kind, ref.name);
    const keys = resource ? Object.keys({ ...resource.data, ...resource.stringData }) : [...overlay.externalSecrets.get(ref.name)];
    for (const key of keys) {
      env.set(`${source.prefix ?? ""}${key}`, { value: resource?.data?.[key], from: `${kind} ${ref.name}` });
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.secretKeyRef || from?.configMapKeyRef) {
      const kind = from.secretKeyRef ? "Secret" : "ConfigMap";
      const ref = from.secretKeyRef ?? from.configMapKeyRef;
      const problem = overlay.unresolved(kind, ref.name, ref.key);
      if (problem && !ref.optional) problems.push(`env ${variable.name}: ${problem}`);
      env.set(variable.name, { from: `${kind} ${ref.name}`, secret: kind === "Secret" ? ref.name : undefined });
    } else if (from?.fieldRef) {
      env.set(variable.name, { from: `field ${from.fieldRef.fieldPath}`, fieldPath: from.fieldRef.fieldPath });
    } else {
      env.set(variable.name, { value: variable.value, from: "env" });
    }
  }
  return env;
}

/** Quarkus durations: 10s, 500ms, 2m, 1h, 1d, a bare number of seconds, or ISO-8601 (PT2M). @returns seconds */
export function seconds(duration) {
  if (duration === undefined || duration === null) return undefined;
  const text = String(duration).trim();
  const simple = text.match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/i);
  if (simple) {
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(simple[2] ?? "s").toLowerCase()];
    return Number(simple[1]) * factor;
  }
  const iso = text.match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i);
  if (iso) {
    const [, d = 0, h = 0, m = 0, s = 0] = iso;
    return Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
  }
  return undefined;
}

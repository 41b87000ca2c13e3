// Cross-checks of a rendered overlay against itself and against the services' code and configuration.
// Each function returns { problems, warnings } for one resource or one overlay-wide concern.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { containerEnv, seconds, selects } from "./overlay.mjs";
import { envLiterals } from "./services.mjs";
import { dashboardProblems } from "./dashboards.mjs";

const READY = "/q/health/ready";
const LIVE = "/q/health/live";

/** Environment every Quarkus service must get, and what some services need on top (DESIGN.md §6, docs/architecture.md). */
const REQUIRED_ENV = {
  "*": ["KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_SHUTDOWN_TIMEOUT"],
  "agent-worker-service": ["CONCLAVE_LLM_BASE_URL", "CONCLAVE_LLM_MODEL", "CONCLAVE_LLM_API_KEY"],
  "planner-service": ["CONCLAVE_LLM_BASE_URL", "CONCLAVE_LLM_MODEL", "CONCLAVE_LLM_API_KEY"],
  "aggregator-service": ["CONCLAVE_AGGREGATOR_INSTANCE_ID", "CONCLAVE_AGGREGATOR_STATE_DIR"],
};

/** Secrets a service must reference (by env or volume). */
const REQUIRED_SECRETS = {
  "gateway-service": ["conclave-tenants"],
  "agent-worker-service": ["conclave-llm"],
  "planner-service": ["conclave-llm"],
};

export class Checks {
  /**
   * @param overlay   the rendered overlay
   * @param services  Map of module name → QuarkusService
   * @param repo      { root, topicConstants, kafkaRuntimeTopics, documentedSeries }
   */
  constructor(overlay, services, repo) {
    this.overlay = overlay;
    this.services = services;
    this.repo = repo;
  }

  /** Cross-checks of one resource, by kind. */
  resource(resource) {
    const result = { problems: [], warnings: [] };
    const check = {
      Deployment: () => this.workload(resource, result),
      StatefulSet: () => this.workload(resource, result),
      Service: () => this.service(resource, result),
      HorizontalPodAutoscaler: () => this.hpa(resource, result),
      ScaledObject: () => this.scaledObject(resource, result),
      PodDisruptionBudget: () => this.pdb(resource, result),
      NetworkPolicy: () => this.networkPolicy(resource, result),
      Kafka: () => this.kafka(resource, result),
      KafkaNodePool: () => this.clusterLabel(resource, result),
      KafkaTopic: () => this.topic(resource, result),
      ConfigMap: () => this.dashboard(resource, result),
    }[resource.kind];
    check?.();
    return result;
  }

  /** A Grafana dashboard (label grafana_dashboard) queries only documented conclave_ series. */
  dashboard(configMap, { problems }) {
    if (configMap.metadata?.labels?.grafana_dashboard === undefined) return;
    problems.push(...dashboardProblems(configMap, this.repo.documentedSeries));
  }

  // --- workloads -------------------------------------------------------------------------------------------------

  workload(workload, { problems, warnings }) {
    const pod = workload.spec?.template?.spec ?? {};
    const podSecurity = pod.securityContext ?? {};
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const volume of volumes.values()) {
      if (volume.secret) this.reference(problems, `volume ${volume.name}`, "Secret", volume.secret.secretName, volume.secret.optional);
      if (volume.configMap) this.reference(problems, `volume ${volume.name}`, "ConfigMap", volume.configMap.name, volume.configMap.optional);
    }
    for (const container of pod.containers ?? []) {
      const env = containerEnv(container, this.overlay, problems);
      this.security(container, podSecurity, volumes, problems);
      const service = this.services.get(container.name);
      if (service) {
        this.quarkusContainer(workload, container, env, service, volumes, problems);
      } else {
        this.plainContainer(container, env, warnings);
      }
    }
  }

  reference(problems, what, kind, name, optional) {
    const problem = this.overlay.unresolved(kind, name);
    if (problem && !optional) problems.push(`${what}: ${problem}`);
  }

  security(container, podSecurity, volumes, problems) {
    const c = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if ((c.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${name}: runAsNonRoot must be true`);
    if ((c.seccompProfile ?? podSecurity.seccompProfile)?.type !== "RuntimeDefault") {
      problems.push(`${name}: seccompProfile must be RuntimeDefault`);
    }
    if (c.readOnlyRootFilesystem !== true) problems.push(`${name}: readOnlyRootFilesystem must be true`);
    if (c.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation must be false`);
    if (!c.capabilities?.drop?.includes("ALL")) problems.push(`${name}: capabilities must drop ALL`);
    const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    if (!tmp || !volumes.get(tmp.name)?.emptyDir) {
      problems.push(`${name}: needs an emptyDir mounted at /tmp (the root filesystem is read-only)`);
    }
  }

  quarkusContainer(workload, container, env, service, volumes, problems) {
    const name = service.name;
    // Image: conclave/<service>:<tag>, with or without a registry in front.
    if (!new RegExp(`(^|/)conclave/${name}:[\\w][\\w.-]*$`).test(container.image ?? "")) {
      problems.push(`image ${container.image} is not conclave/${name}:<tag> (set registries and tags with kustomize images:)`);
    }
    // Port: the container's http port is the service's quarkus.http.port.
    const expectedPort = Number(service.property("quarkus.http.port"));
    const http = (container.ports ?? []).find((p) => p.name === "http");
    if (!http) {
      problems.push(`container ${name} has no port named http`);
    } else if (http.containerPort !== expectedPort) {
      problems.push(`containerPort ${http.containerPort} is not quarkus.http.port ${expectedPort} of ${name}`);
    }
    const envPort = env.get("QUARKUS_HTTP_PORT")?.value;
    if (envPort !== undefined && Number(envPort) !== expectedPort) {
      problems.push(`QUARKUS_HTTP_PORT ${envPort} is not quarkus.http.port ${expectedPort} of ${name}`);
    }
    this.probes(container, http, problems);
    // Environment: every variable is a setting of the service; the required ones are there.
    for (const [variable, { from }] of env) {
      if (!service.reads(variable)) {
        problems.push(
          `env ${variable} (${from}) is not a setting of ${name}: not in its application.properties, ` +
            "not under its @ConfigMapping prefixes, not in the allowlist",
        );
      }
    }
    for (const variable of [...REQUIRED_ENV["*"], ...(REQUIRED_ENV[name] ?? [])]) {
      if (!env.has(variable)) problems.push(`env ${variable} is required for ${name} and not set`);
    }
    this.requiredSecrets(name, container, env, volumes, problems);
    this.bootstrap(env.get("KAFKA_BOOTSTRAP_SERVERS")?.value, false, problems);
    this.shutdown(workload, container, env, problems);
    this.aggregatorIdentity(env, container, volumes, problems);
  }

  probes(container, http, problems) {
    const expected = { readinessProbe: [READY], livenessProbe: [LIVE], startupProbe: [READY, LIVE] };
    for (const [probe, paths] of Object.entries(expected)) {
      const get = container[probe]?.httpGet;
      if (!container[probe]) {
        if (probe !== "startupProbe") problems.push(`${probe} is missing`);
        continue;
      }
      if (!get) {
        problems.push(`${probe} must be an httpGet on ${paths.join(" or ")}`);
        continue;
      }
      if (!paths.includes(get.path)) problems.push(`${probe} path ${get.path}, expected ${paths.join(" or ")}`);
      if (http && get.port !== http.name && get.port !== http.containerPort) {
        problems.push(`${probe} port ${get.port} is not the http port (${http.containerPort})`);
      }
    }
  }

  requiredSecrets(name, container, env, volumes, problems) {
    const used = new Set([...env.values()].map((e) => e.secret).filter(Boolean));
    for (const ref of container.envFrom ?? []) if (ref.secretRef) used.add(ref.secretRef.name);
    for (const mount of container.volumeMounts ?? []) {
      const secret = volumes.get(mount.name)?.secret?.secretName;
      if (secret) used.add(secret);
    }
    for (const secret of REQUIRED_SECRETS[name] ?? []) {
      // A Secret from a kustomize generator carries a hash suffix: conclave-llm-<10 characters>.
      if (![...used].some((u) => new RegExp(`^${secret}(-[a-z0-9]{10})?$`).test(u))) {
        problems.push(`${name} must use the Secret ${secret}`);
      }
    }
  }

  /** KAFKA_BOOTSTRAP_SERVERS (or a KEDA trigger's bootstrapServers) names Strimzi's bootstrap Service and a listener. */
  bootstrap(value, qualified, problems) {
    if (value === undefined) return;
    const kafkas = this.overlay.of("Kafka");
    const matches = kafkas.some((kafka) => {
      const host = `${kafka.metadata.name}-kafka-bootstrap`;
      const ns = kafka.metadata.namespace;
      const ports = (kafka.spec?.kafka?.listeners ?? []).map((l) => l.port);
      return value.split(",").every((address) => {
        const [hostName, port] = address.trim().split(":");
        const hosts = qualified ? [`${host}.${ns}.svc`, `${host}.${ns}.svc.cluster.local`]
          : [host, `${host}.${ns}`, `${host}.${ns}.svc`, `${host}.${ns}.svc.cluster.local`];
        return hosts.includes(hostName) && ports.includes(Number(port));
      });
    });
    if (!matches) {
      const expected = kafkas.map((k) => `${k.metadata.name}-kafka-bootstrap${qualified ? `.${k.metadata.namespace}.svc` : ""}:<listener port>`);
      problems.push(`bootstrap servers ${value} are not ${expected.join(" or ") || "a Kafka cluster of this overlay"}`);
    }
  }

  /** The JVM finishes its graceful shutdown before the kubelet kills it. */
  shutdown(workload, container, env, problems) {
    const timeout = seconds(env.get("QUARKUS_SHUTDOWN_TIMEOUT")?.value);
    if (timeout === undefined) return;
    const pod = workload.spec.template.spec;
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    if (preStop + timeout >= grace) {
      problems.push(
        `preStop (${preStop} s) + QUARKUS_SHUTDOWN_TIMEOUT (${timeout} s) must stay below terminationGracePeriodSeconds (${grace} s)`,
      );
    }
  }

  aggregatorIdentity(env, container, volumes, problems) {
    const id = env.get("CONCLAVE_AGGREGATOR_INSTANCE_ID");
    if (id && id.fieldPath !== "metadata.name") {
      problems.push("CONCLAVE_AGGREGATOR_INSTANCE_ID must come from the pod name (fieldRef metadata.name)");
    }
    const stateDir = env.get("CONCLAVE_AGGREGATOR_STATE_DIR")?.value;
    if (stateDir !== undefined) {
      const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === stateDir && !m.readOnly);
      const volume = mount && volumes.get(mount.name);
      if (!volume || !(volume.emptyDir || volume.persistentVolumeClaim)) {
        problems.push(`CONCLAVE_AGGREGATOR_STATE_DIR ${stateDir} is not a writable volume mount (emptyDir or claim)`);
      }
    }
  }

  /** A container that is not a Quarkus service (the LLM simulator): its variables are looked for in its sources. */
  plainContainer(container, env, warnings) {
    const module = join(this.repo.root, container.name);
    if (!existsSync(join(module, "src/main/java"))) return;
    const known = envLiterals(module);
    for (const variable of env.keys()) {
      if (!known.has(variable)) warnings.push(`env ${variable} is not read anywhere in ${container.name}/src/main/java`);
    }
  }

  // --- services, scaling, disruption, network --------------------------------------------------------------------

  service(service, { problems }) {
    const pods = this.overlay.workloads().filter((w) => selects(service.spec?.selector, w.spec?.template?.metadata?.labels, { service: true }));
    if (pods.length === 0) {
      problems.push(`selector ${JSON.stringify(service.spec?.selector)} matches no Deployment or StatefulSet`);
      return;
    }
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const workload of pods) {
        const ports = workload.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
        const hit = ports.find((p) => p.name === target || p.containerPort === target);
        if (!hit) problems.push(`port ${port.name ?? port.port}: targetPort ${target} is no container port of ${workload.metadata.name}`);
        else if (hit.containerPort !== port.port) problems.push(`port ${port.port} differs from containerPort ${hit.containerPort}`);
      }
    }
  }

  /** The workload a scaleTargetRef names, and the Quarkus service it runs. */
  target(ref) {
    const workload = this.overlay.find(ref?.kind ?? "Deployment", ref?.name);
    const container = workload?.spec?.template?.spec?.containers?.find((c) => this.services.has(c.name));
    return { workload, container, service: container && this.services.get(container.name) };
  }

  /** The partitions that bound a service's replicas: those of the topic its shared consumer group reads. */
  partitionBound(service) {
    const topics = this.overlay.topics();
    const shared = service.incomingChannels().filter((c) => c.groupId && !c.groupId.includes("${")).map((c) => c.topic);
    const inputs = [...shared, ...service.streamsInputs(this.repo.topicConstants)];
    const bounds = inputs.filter((t) => topics.has(t)).map((t) => ({ topic: t, partitions: topics.get(t).spec.partitions }));
    return bounds.sort((a, b) => a.partitions - b.partitions)[0];
  }

  hpa(hpa, { problems }) {
    const { workload, service } = this.target(hpa.spec?.scaleTargetRef);
    if (!workload) {
      problems.push(`scaleTargetRef ${hpa.spec?.scaleTargetRef?.kind}/${hpa.spec?.scaleTargetRef?.name} is not in the overlay`);
      return;
    }
    const { minReplicas = 1, maxReplicas } = hpa.spec;
    if (minReplicas > maxReplicas) problems.push(`minReplicas ${minReplicas} > maxReplicas ${maxReplicas}`);
    const cpu = (hpa.spec.metrics ?? []).some((m) => m.resource?.name === "cpu" && m.resource.target?.type === "Utilization");
    if (cpu) {
      for (const c of workload.spec.template.spec.containers) {
        if (!c.resources?.requests?.cpu) problems.push(`CPU utilization needs a CPU request on container ${c.name}`);
      }
    }
    const bound = service && this.partitionBound(service);
    if (bound && maxReplicas > bound.partitions) {
      problems.push(`maxReplicas ${maxReplicas} > ${bound.partitions} partitions of ${bound.topic}: the extra replicas would idle`);
    }
  }

  scaledObject(scaled, { problems }) {
    const ref = scaled.spec?.scaleTargetRef ?? {};
    const { workload, container, service } = this.target({ kind: ref.kind ?? "Deployment", name: ref.name });
    if (!workload) {
      problems.push(`scaleTargetRef ${ref.kind ?? "Deployment"}/${ref.name} is not in the overlay`);
      return;
    }
    const { minReplicaCount = 0, maxReplicaCount = 100 } = scaled.spec;
    if (minReplicaCount > maxReplicaCount) problems.push(`minReplicaCount ${minReplicaCount} > maxReplicaCount ${maxReplicaCount}`);
    const topics = this.overlay.topics();
    for (const trigger of scaled.spec.triggers ?? []) {
      if (trigger.type !== "kafka") continue;
      const m = trigger.metadata ?? {};
      this.bootstrap(m.bootstrapServers, true, problems);
      const topic = topics.get(m.topic);
      if (!topic) {
        problems.push(`trigger topic ${m.topic} is not a KafkaTopic of the overlay`);
        continue;
      }
      if (maxReplicaCount > topic.spec.partitions) {
        problems.push(`maxReplicaCount ${maxReplicaCount} > ${topic.spec.partitions} partitions of ${m.topic}`);
      }
      if (!service) continue;
      const channel = service.incomingChannels().find((c) => c.topic === m.topic);
      if (!channel) problems.push(`${service.name} reads no channel from ${m.topic}`);
      else if (channel.groupId !== m.consumerGroup) {
        problems.push(`consumerGroup ${m.consumerGroup} is not ${service.name}'s group ${channel.groupId}`);
      }
      const env = containerEnv(container, this.overlay, []);
      const k = Number(env.get("CONCLAVE_WORKER_CONCURRENCY")?.value ?? service.property("conclave.worker.concurrency"));
      if (Number.isFinite(k) && Number(m.lagThreshold) !== k) {
        problems.push(`lagThreshold ${m.lagThreshold} is not the worker concurrency K = ${k} (lag per replica ≈ K)`);
      }
    }
  }

  pdb(pdb, { problems }) {
    if (!this.overlay.workloads().some((w) => selects(pdb.spec?.selector, w.spec?.template?.metadata?.labels))) {
      problems.push("selector matches no Deployment or StatefulSet");
    }
  }

  networkPolicy(policy, { problems }) {
    const selected = this.overlay.workloads().filter((w) => selects(policy.spec?.podSelector, w.spec?.template?.metadata?.labels));
    if (selected.length === 0) problems.push("podSelector matches no Deployment or StatefulSet");
    // Ingress from anywhere (a rule without "from") is for the gateway alone.
    const open = (policy.spec?.ingress ?? []).some((rule) => !rule.from || rule.from.length === 0);
    const others = selected.filter((w) => w.metadata.name !== "gateway-service" && this.services.has(w.metadata.name));
    if (open && others.length > 0) {
      problems.push(`ingress from anywhere is for gateway-service only, not ${others.map((w) => w.metadata.name).join(", ")}`);
    }
  }

  // --- Strimzi -----------------------------------------------------------------------------------------------------

  clusterLabel(resource, { problems }) {
    const cluster = resource.metadata?.labels?.["strimzi.io/cluster"];
    if (!this.overlay.find("Kafka", cluster)) problems.push(`strimzi.io/cluster ${cluster} names no Kafka of the overlay`);
    return cluster;
  }

  kafka(kafka, { problems }) {
    const name = kafka.metadata.name;
    const pools = this.overlay.of("KafkaNodePool").filter((p) => p.metadata?.labels?.["strimzi.io/cluster"] === name);
    if (!pools.some((p) => p.spec?.roles?.includes("controller"))) problems.push("no KafkaNodePool with the controller role");
    const brokers = this.overlay.brokers(name);
    if (brokers === 0) problems.push("no KafkaNodePool with the broker role");
    const config = kafka.spec?.kafka?.config ?? {};
    for (const key of ["offsets.topic.replication.factor", "transaction.state.log.replication.factor", "default.replication.factor"]) {
      if (config[key] > brokers) problems.push(`${key} ${config[key]} > ${brokers} broker(s)`);
    }
    if (config["min.insync.replicas"] > (config["default.replication.factor"] ?? 1)) {
      problems.push("min.insync.replicas > default.replication.factor: writes with acks=all would always fail");
    }
    if (!kafka.spec?.entityOperator?.topicOperator) problems.push("entityOperator.topicOperator is needed for the KafkaTopics");
  }

  topic(topic, { problems }) {
    const cluster = this.clusterLabel(topic, { problems });
    const brokers = this.overlay.brokers(cluster);
    const { replicas, config = {} } = topic.spec ?? {};
    if (brokers > 0 && replicas > brokers) problems.push(`replicas ${replicas} > ${brokers} broker(s)`);
    if (config["min.insync.replicas"] > replicas) problems.push(`min.insync.replicas ${config["min.insync.replicas"]} > replicas ${replicas}`);
    if (config["retention.ms"] !== undefined && !Number.isInteger(config["retention.ms"])) {
      problems.push(`retention.ms must be an integer (is ${JSON.stringify(config["retention.ms"])})`);
    }
  }

  // --- overlay-wide ---------------------------------------------------------------------------------------------

  /** The KafkaTopics are the topics of kafka-runtime (what tests and local runs use) and those the services name. */
  topicList() {
    const problems = [];
    const topics = this.overlay.topics();
    for (const [name, partitions] of this.repo.kafkaRuntimeTopics) {
      const topic = topics.get(name);
      if (!topic) problems.push(`${name} (kafka-runtime's conclave-topics.txt) has no KafkaTopic`);
      else if (topic.spec?.partitions !== partitions) {
        problems.push(`${name} has ${JSON.stringify(topic.spec?.partitions)} partitions, conclave-topics.txt says ${partitions}`);
      }
    }
    for (const [name, config] of this.repo.kafkaRuntimeTopicConfigs ?? new Map()) {
      for (const [key, value] of Object.entries(config)) {
        const declared = topics.get(name)?.spec?.config?.[key];
        if (declared !== undefined && String(declared) !== value) {
          problems.push(`${name} has ${key} ${declared}, conclave-topics.txt says ${value}`);
        } else if (declared === undefined && topics.has(name)) {
          problems.push(`${name} has no ${key}, conclave-topics.txt says ${value}`);
        }
      }
    }
    for (const name of topics.keys()) {
      if (!this.repo.kafkaRuntimeTopics.has(name)) problems.push(`${name} is not in kafka-runtime's conclave-topics.txt`);
    }
    for (const service of this.services.values()) {
      for (const name of service.topics()) {
        if (!topics.has(name)) problems.push(`${service.name} uses ${name}, which has no KafkaTopic`);
      }
    }
    problems.push(...this.replayRetention(topics));
    return { problems, warnings: [] };
  }

  /** conclave.results keeps at least the window the gateway replays when a replica starts (DESIGN.md §2). */
  replayRetention(topics) {
    const gateway = this.services.get("gateway-service");
    const channel = gateway?.incomingChannels().find((c) => c.channel === "results");
    if (!channel) return [];
    const workload = this.target({ kind: "Deployment", name: "gateway-service" });
    const env = workload.container ? containerEnv(workload.container, this.overlay, []) : new Map();
    const window = seconds(env.get("CONCLAVE_GATEWAY_RESULTS_REPLAY_WINDOW")?.value ?? gateway.property("conclave.gateway.results.replay-window"));
    const retention = topics.get(channel.topic)?.spec?.config?.["retention.ms"];
    if (window !== undefined && retention !== undefined && retention / 1000 < window) {
      return [`${channel.topic} retention.ms ${retention} is below the gateway's replay window (${window} s)`];
    }
    return [];
  }

  /** Every Quarkus service runs in exactly one workload of the overlay. */
  serviceList() {
    const problems = [];
    for (const name of this.services.keys()) {
      const count = this.overlay.workloads().filter((w) => w.spec?.template?.spec?.containers?.some((c) => c.name === name)).length;
      if (count !== 1) problems.push(`${name} runs in ${count} workloads, expected 1`);
    }
    return { problems, warnings: [] };
  }
}

/** kafka-runtime's topic configs: the "<config>=<value>" fields after "<name> <partitions>", per topic. */
export function kafkaRuntimeTopicConfigs(repoRoot) {
  const file = join(repoRoot, "kafka-runtime/src/main/resources/io/conclave/kafka/conclave-topics.txt");
  const configs = new Map();
  if (!existsSync(file)) return configs;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [name, , ...fields] = line.trim().split(/\s+/);
    if (!name || name.startsWith("#") || fields.length === 0) continue;
    configs.set(name, Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf("=")), f.slice(f.indexOf("=") + 1)])));
  }
  return configs;
}

/** kafka-runtime's topic list: "<name> <partitions> [<config>=<value> ...]" per line. */
export function kafkaRuntimeTopics(repoRoot) {
  const file = join(repoRoot, "kafka-runtime/src/main/resources/io/conclave/kafka/conclave-topics.txt");
  const topics = new Map();
  if (!existsSync(file)) return topics;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [name, partitions] = line.trim().split(/\s+/);
    if (name && !name.startsWith("#") && partitions) topics.set(name, Number(partitions));
  }
  return topics;
}

// A hand-written check of the Strimzi resources deploy/ uses (Kafka, KafkaNodePool, KafkaTopic), in the style of a
// JSON schema: the fields we set, their types and required ones, from the kafka.strimzi.io/v1beta2 CRDs.
// Objects marked closed reject unknown fields (a misspelt one would otherwise be dropped by the API server).

export const STRIMZI_API = "kafka.strimzi.io/v1beta2";

const string = { type: "string" };
const boolean = { type: "boolean" };
const positiveInt = { type: "integer", minimum: 1 };
const scalarMap = { type: "object", values: { type: ["string", "integer", "number", "boolean"] } };
const stringMap = { type: "object", values: string };
const quantity = { type: ["string", "integer"], pattern: /^[0-9.]+(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/ };
const resources = {
  type: "object",
  closed: true,
  properties: { requests: { type: "object", values: quantity }, limits: { type: "object", values: quantity } },
};
const metadata = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/ }, labels: stringMap, annotations: stringMap },
};
const clusterLabel = {
  type: "object",
  required: ["labels"],
  properties: { labels: { type: "object", required: ["strimzi.io/cluster"], values: string } },
};

const volume = {
  type: "object",
  closed: true,
  required: ["id", "type"],
  properties: {
    id: { type: "integer", minimum: 0 },
    type: { enum: ["ephemeral", "persistent-claim"] },
    size: { type: "string", pattern: /^[0-9]+(Mi|Gi|Ti)$/ },
    sizeLimit: { type: "string", pattern: /^[0-9]+(Mi|Gi|Ti)$/ },
    class: string,
    deleteClaim: boolean,
    kraftMetadata: { enum: ["shared"] },
  },
};

const storage = {
  type: "object",
  closed: true,
  required: ["type"],
  properties: {
    type: { enum: ["ephemeral", "persistent-claim", "jbod"] },
    size: volume.properties.size,
    sizeLimit: volume.properties.sizeLimit,
    class: string,
    deleteClaim: boolean,
    kraftMetadata: volume.properties.kraftMetadata,
    volumes: { type: "array", minItems: 1, items: volume },
  },
};

const listener = {
  type: "object",
  closed: true,
  required: ["name", "port", "type", "tls"],
  properties: {
    name: { type: "string", pattern: /^[a-z0-9]{1,11}$/ },
    // Strimzi reserves 9090, 9091 and 8443 for its own listeners.
    port: { type: "integer", minimum: 9092, maximum: 65535 },
    type: { enum: ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"] },
    tls: boolean,
    authentication: { type: "object" },
    configuration: { type: "object" },
    networkPolicyPeers: { type: "array" },
  },
};

const SCHEMAS = {
  Kafka: {
    type: "object",
    required: ["metadata", "spec"],
    properties: {
      metadata: {
        ...metadata,
        required: ["name", "annotations"],
        properties: {
          ...metadata.properties,
          annotations: {
            type: "object",
            required: ["strimzi.io/kraft", "strimzi.io/node-pools"],
            properties: { "strimzi.io/kraft": { enum: ["enabled"] }, "strimzi.io/node-pools": { enum: ["enabled"] } },
          },
        },
      },
      spec: {
        type: "object",
        required: ["kafka"],
        properties: {
          kafka: {
            type: "object",
            required: ["listeners"],
            properties: {
              version: { type: "string", pattern: /^\d+\.\d+\.\d+$/ },
              metadataVersion: string,
              listeners: { type: "array", minItems: 1, items: listener },
              config: scalarMap,
              resources,
              rack: { type: "object", required: ["topologyKey"], properties: { topologyKey: string } },
              template: { type: "object" },
            },
          },
          // KRaft: the controllers are node pools; a zookeeper section means the wrong mode.
          zookeeper: { forbidden: "ZooKeeper is not used: the cluster runs in KRaft mode (node pools)" },
          entityOperator: {
            type: "object",
            closed: true,
            properties: { topicOperator: { type: "object" }, userOperator: { type: "object" }, template: { type: "object" } },
          },
          cruiseControl: { type: "object" },
          kafkaExporter: { type: "object" },
        },
      },
    },
  },
  KafkaNodePool: {
    type: "object",
    required: ["metadata", "spec"],
    properties: {
      metadata: { ...metadata, ...clusterLabel, properties: { ...metadata.properties, ...clusterLabel.properties } },
      spec: {
        type: "object",
        closed: true,
        required: ["replicas", "roles", "storage"],
        properties: {
          replicas: { type: "integer", minimum: 0 },
          roles: { type: "array", minItems: 1, items: { enum: ["controller", "broker"] } },
          storage,
          resources,
          jvmOptions: { type: "object" },
          template: { type: "object" },
        },
      },
    },
  },
  KafkaTopic: {
    type: "object",
    required: ["metadata", "spec"],
    properties: {
      metadata: { ...metadata, ...clusterLabel, properties: { ...metadata.properties, ...clusterLabel.properties } },
      spec: {
        type: "object",
        closed: true,
        required: ["partitions", "replicas"],
        properties: {
          topicName: string,
          partitions: positiveInt,
          replicas: { type: "integer", minimum: 1, maximum: 32767 },
          config: scalarMap,
        },
      },
    },
  },
};

/** @returns {string[]} the problems of one kafka.strimzi.io resource */
export function checkStrimzi(resource) {
  if (resource.apiVersion !== STRIMZI_API) {
    return [`apiVersion ${resource.apiVersion}: deploy/ uses ${STRIMZI_API} (served by Strimzi 0.51 and older, not by 1.0)`];
  }
  const schema = SCHEMAS[resource.kind];
  if (!schema) {
    return [`no check for Strimzi kind ${resource.kind}: add it to deploy/validate/lib/strimzi.mjs`];
  }
  const problems = [];
  check(resource, schema, "", problems);
  return problems.map((p) => `strimzi schema: ${p}`);
}

function check(value, schema, path, problems) {
  const where = path || "/";
  if (schema.forbidden) {
    if (value !== undefined) problems.push(`${where}: ${schema.forbidden}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${where} must be one of ${schema.enum.join(", ")} (is ${JSON.stringify(value)})`);
    return;
  }
  if (schema.type && !hasType(value, schema.type)) {
    problems.push(`${where} must be ${[].concat(schema.type).join(" or ")} (is ${JSON.stringify(value)})`);
    return;
  }
  if (schema.pattern && typeof value === "string" && !schema.pattern.test(value)) {
    problems.push(`${where} does not match ${schema.pattern} (is ${JSON.stringify(value)})`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where} must be ≥ ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where} must be ≤ ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems && value.length < schema.minItems) problems.push(`${where} needs at least ${schema.minItems} item(s)`);
    if (schema.items) value.forEach((item, i) => check(item, schema.items, `${path}/${i}`, problems));
    return;
  }
  if (value && typeof value === "object") {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined) problems.push(`${where} must have required property '${key}'`);
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      if (schema.properties?.[key]) {
        check(child, schema.properties[key], childPath, problems);
      } else if (schema.values) {
        check(child, schema.values, childPath, problems);
      } else if (schema.closed) {
        problems.push(`${where} has unknown property '${key}'`);
      }
    }
  }
}

function hasType(value, types) {
  return [].concat(types).some((type) => {
    switch (type) {
      case "integer":
        return Number.isInteger(value);
      case "array":
        return Array.isArray(value);
      case "object":
        return value !== null && typeof value === "object" && !Array.isArray(value);
      default:
        return typeof value === type;
    }
  });
}

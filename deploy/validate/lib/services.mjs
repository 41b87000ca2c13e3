// What each service of the repository reads: its application.properties and its @ConfigMapping interfaces, so that
// the manifests' environment variables, ports and topics can be checked against the code they configure.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Quarkus' own settings that every service honours without writing them down in application.properties.
 * Anything else a manifest sets must be known to the service (deploy/README.md, "Validation").
 */
export const QUARKUS_ENV_ALLOWLIST = new Set(["KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT", "QUARKUS_SHUTDOWN_TIMEOUT"]);

/**
 * Read by the process underneath the service, not by Quarkus: glibc's malloc (docs/benchmarks.md, "Memory") and the
 * `java` launcher's options (the JIT's thresholds, docs/benchmarks.md, round nineteen).
 */
export const PROCESS_ENV_ALLOWLIST = new Set(["MALLOC_ARENA_MAX", "JDK_JAVA_OPTIONS"]);

/** Quarkus (SmallRye Config) looks a property up in the environment under this name: a.b-c."d" → A_B_C__D_. */
export function envName(property) {
  return property.replace(/[^A-Za-z0-9]/g, "_").toUpperCase();
}

/** A Quarkus service: a module with src/main/resources/application.properties. */
export class QuarkusService {
  constructor(name, dir) {
    this.name = name;
    this.dir = dir;
    this.properties = parseProperties(readFileSync(join(dir, "src/main/resources/application.properties"), "utf8"));
    this.mappedProperties = configMappings(join(dir, "src/main/java"));
    this.envPatterns = this.mappedProperties.map(
      (property) => new RegExp(`^${property.split("*").map(envName).join("[A-Z0-9_]+")}$`),
    );
    this.knownEnv = new Set(QUARKUS_ENV_ALLOWLIST);
    for (const [key, value] of this.properties) {
      this.knownEnv.add(envName(key));
      // ${NAME} and ${NAME:default} in a value read the variable NAME itself.
      for (const match of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[:}]/g)) {
        this.knownEnv.add(match[1]);
      }
    }
  }

  /** @returns {string|undefined} how the service reads an environment variable, undefined when it does not */
  reads(variable) {
    if (QUARKUS_ENV_ALLOWLIST.has(variable) || PROCESS_ENV_ALLOWLIST.has(variable)) return "allowlist";
    if (this.knownEnv.has(variable)) return "application.properties";
    const i = this.envPatterns.findIndex((pattern) => pattern.test(variable));
    return i >= 0 ? `@ConfigMapping ${this.mappedProperties[i]}` : undefined;
  }

  /** The value of a property (no profile), undefined when absent. */
  property(key) {
    return this.properties.get(key);
  }

  /** The incoming SmallRye channels: { channel, topic, groupId } for each mp.messaging.incoming.<channel>.topic. */
  incomingChannels() {
    const channels = [];
    for (const [key, topic] of this.properties) {
      const match = key.match(/^mp\.messaging\.incoming\.([^.]+)\.topic$/);
      if (match) {
        channels.push({ channel: match[1], topic, groupId: this.properties.get(`mp.messaging.incoming.${match[1]}.group.id`) });
      }
    }
    return channels;
  }

  /**
   * The topics a Kafka Streams topology of the service reads: the Topics.X constants named in its addSource(...)
   * calls, resolved with the contracts' Topics class.
   */
  streamsInputs(topicConstants) {
    const inputs = [];
    for (const file of javaFiles(join(this.dir, "src/main/java"))) {
      for (const call of stripComments(readFileSync(file, "utf8")).matchAll(/\.addSource\(([^;]*)\)\s*;/g)) {
        for (const constant of call[1].matchAll(/Topics\.(\w+)/g)) {
          if (topicConstants.has(constant[1])) inputs.push(topicConstants.get(constant[1]));
        }
      }
    }
    return inputs;
  }

  /** Every topic the properties name: channel topics and dead-letter topics. */
  topics() {
    return [...this.properties]
      .filter(([key]) => /^mp\.messaging\.(incoming|outgoing)\.[^.]+\.(topic|dead-letter-queue\.topic)$/.test(key))
      .map(([, topic]) => topic);
  }
}

/** @returns {Map<string, QuarkusService>} the Quarkus services of the repository, by module name */
export function quarkusServices(repoRoot) {
  const services = new Map();
  for (const name of readdirSync(repoRoot)) {
    const dir = join(repoRoot, name);
    if (statSync(dir).isDirectory() && existsSync(join(dir, "src/main/resources/application.properties"))) {
      services.set(name, new QuarkusService(name, dir));
    }
  }
  return services;
}

/** The topic names of the contracts' Topics class, by constant name (REQUESTS → conclave.requests). */
export function topicConstants(repoRoot) {
  const file = join(repoRoot, "contracts/src/main/java/io/conclave/contracts/Topics.java");
  const constants = new Map();
  if (existsSync(file)) {
    for (const match of readFileSync(file, "utf8").matchAll(/static\s+final\s+String\s+(\w+)\s*=\s*"([^"]+)"/g)) {
      constants.set(match[1], match[2]);
    }
  }
  return constants;
}

/**
 * The SIM_-style names a plain (non-Quarkus) module reads: upper-case string literals in its sources. Used for
 * warnings only, since such a module reads its environment in code of its own.
 */
export function envLiterals(moduleDir) {
  const names = new Set();
  for (const file of javaFiles(join(moduleDir, "src/main/java"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"/g)) {
      names.add(match[1]);
    }
  }
  return names;
}

/** Parses a .properties file into key → value, dropping profile prefixes (%test.a.b → a.b; the last one wins). */
export function parseProperties(text) {
  const properties = new Map();
  const lines = text.replace(/\\\r?\n\s*/g, "").split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const match = line.match(/^((?:[^=:\s"]|"[^"]*")+)\s*[=:]?\s*(.*)$/);
    if (!match) continue;
    const key = match[1].replace(/^%[^.]+\./, "");
    const profiled = match[1] !== key;
    if (!profiled || !properties.has(key)) {
      properties.set(key, match[2]);
    }
  }
  return properties;
}

/**
 * The property names the @ConfigMapping interfaces of a source tree declare, a map key written as '*':
 * conclave.worker.concurrency, conclave.llm.providers.*.base-url, …
 */
export function configMappings(sourceDir) {
  const names = [];
  for (const file of javaFiles(sourceDir)) {
    const source = stripComments(readFileSync(file, "utf8"));
    const mapping = source.match(/@ConfigMapping\s*\(\s*prefix\s*=\s*"([^"]+)"/);
    if (!mapping) continue;
    const interfaces = interfaceBodies(source);
    const root = source.slice(mapping.index).match(/interface\s+(\w+)/)[1];
    collect(root, mapping[1], interfaces, names, 0);
  }
  return names;
}

function collect(interfaceName, prefix, interfaces, names, depth) {
  const body = interfaces.get(interfaceName);
  if (body === undefined || depth > 8) return;
  const method = /((?:@\w+(?:\([^)]*\))?\s+)*)([\w.]+(?:<[^;(]*>)?)\s+(\w+)\s*\(\s*\)\s*;/g;
  for (const match of body.matchAll(method)) {
    const [, annotations, type, methodName] = match;
    const withName = annotations.match(/@WithName\(\s*"([^"]+)"\s*\)/);
    const property = `${prefix}.${withName ? withName[1] : kebab(methodName)}`;
    const mapValue = type.match(/^Map<\s*\w+\s*,\s*([\w.]+)\s*>$/);
    const element = (mapValue ? mapValue[1] : type.replace(/^(Optional|List|Set)<\s*([\w.]+)\s*>$/, "$2")).split(".").pop();
    const keyed = mapValue ? `${property}.*` : property;
    if (interfaces.has(element)) {
      collect(element, keyed, interfaces, names, depth + 1);
    } else {
      names.push(keyed);
    }
  }
}

/** interface name → its body without the bodies of interfaces nested in it. */
function interfaceBodies(source) {
  const bodies = new Map();
  const declaration = /\binterface\s+(\w+)[^{]*\{/g;
  for (const match of source.matchAll(declaration)) {
    const start = match.index + match[0].length;
    let depth = 1;
    let end = start;
    let own = "";
    let ownFrom = start;
    while (end < source.length && depth > 0) {
      const c = source[end];
      if (c === "{") {
        if (depth === 1) own += source.slice(ownFrom, end);
        depth++;
      } else if (c === "}") {
        depth--;
        if (depth === 1) ownFrom = end + 1;
      }
      end++;
    }
    own += source.slice(ownFrom, end - 1);
    bodies.set(match[1], own);
  }
  return bodies;
}

function kebab(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function stripComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

function javaFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...javaFiles(path));
    else if (entry.name.endsWith(".java")) files.push(path);
  }
  return files;
}

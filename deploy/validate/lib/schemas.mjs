// Schema validation of one resource: kubernetes-models for the built-in kinds, @kubernetes-models/keda for KEDA,
// and a hand-written check for Strimzi (no npm package has its schemas). All schemas ship inside the packages:
// nothing is downloaded at validation time.
import { checkStrimzi } from "./strimzi.mjs";

/** The API groups whose kinds kubernetes-models validates; anything else must be KEDA or Strimzi. */
const BUILT_IN = new Set(["", "apps", "autoscaling", "policy", "networking.k8s.io"]);

const loaded = new Map();

/** @returns {Promise<string[]>} the schema problems of the resource, empty when it is valid */
export async function schemaProblems(resource) {
  const { apiVersion, kind } = resource;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return ["apiVersion and kind must be strings"];
  }
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "kafka.strimzi.io") {
    return checkStrimzi(resource);
  }
  let modulePath;
  if (BUILT_IN.has(group)) {
    modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
  } else if (group === "keda.sh") {
    modulePath = `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  } else {
    return [`no schema for ${apiVersion} ${kind}: add it to deploy/validate/lib/schemas.mjs`];
  }
  const Model = await load(modulePath, kind);
  if (!Model) {
    return [`unknown kind ${kind} in ${apiVersion}`];
  }
  try {
    new Model(normalized(resource)).validate();
    return [];
  } catch (error) {
    return describe(error);
  }
}

/**
 * kustomize folds long base64 values of generated Secrets over several lines; the API server's decoder skips the
 * line breaks, the schema's "byte" format does not.
 */
function normalized(resource) {
  if (resource.kind !== "Secret" || !resource.data) return resource;
  const data = Object.fromEntries(Object.entries(resource.data).map(([k, v]) => [k, String(v).replace(/\s+/g, "")]));
  return { ...resource, data };
}

async function load(modulePath, kind) {
  if (!loaded.has(modulePath)) {
    try {
      loaded.set(modulePath, (await import(modulePath))[kind] ?? null);
    } catch (error) {
      if (error.code !== "ERR_MODULE_NOT_FOUND" && error.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        throw error;
      }
      loaded.set(modulePath, null);
    }
  }
  return loaded.get(modulePath);
}

/** Turns an ajv validation error into one readable line per problem, e.g. "/spec/pollingInterval must be integer". */
function describe(error) {
  if (!Array.isArray(error.errors)) {
    return [error.message];
  }
  return error.errors.map((e) => {
    const where = e.instancePath || "/";
    const detail = e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "";
    return `schema: ${where} ${e.message}${detail}`;
  });
}

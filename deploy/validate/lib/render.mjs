// Renders an overlay with the kustomize built into kubectl and parses the documents.
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

/** Thrown for problems that stop validation altogether (no kubectl, an overlay that does not render). */
export class RenderError extends Error {}

const KUBECTL = process.env.KUBECTL || "kubectl";

/** @returns {string} the output of `kubectl version --client`, or throws a RenderError naming what to install */
export function kubectlVersion() {
  const result = spawnSync(KUBECTL, ["version", "--client"], { encoding: "utf8" });
  if (result.error?.code === "ENOENT") {
    throw new RenderError(
      `kubectl not found (looked for "${KUBECTL}" on PATH): the overlays are rendered with ` +
        "`kubectl kustomize`. Install kubectl ≥ 1.27 (kustomize is built in) or point KUBECTL at it.",
    );
  }
  if (result.error || result.status !== 0) {
    throw new RenderError(`"${KUBECTL} version --client" failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout.split("\n").filter(Boolean).join(", ");
}

/** @returns {object[]} the rendered resources of the overlay directory, in kustomize's order */
export function render(overlayDir) {
  const result = spawnSync(KUBECTL, ["kustomize", overlayDir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new RenderError(`kubectl kustomize ${overlayDir}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new RenderError(`kubectl kustomize ${overlayDir} failed:\n${result.stderr.trim()}`);
  }
  const resources = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    if (doc.errors.length > 0) {
      throw new RenderError(`kubectl kustomize ${overlayDir}: unparsable YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    if (value !== null) {
      resources.push(value);
    }
  }
  return resources;
}

#!/usr/bin/env node
// Offline validation of deploy/: renders each Kustomize overlay with `kubectl kustomize`, validates every resource
// against its schema (kubernetes-models, @kubernetes-models/keda, a hand-written check for Strimzi) and cross-checks
// the manifests against the services they run (settings, ports, probes, topics, consumer groups, references).
// Prints one line per resource and a final "N passed, N failed"; exits 1 on any failure, 2 when it cannot run.
//
//   node validate.mjs [--repo <repository root>] [<overlay directory> ...]   (default: every deploy/overlays/*)
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Checks, kafkaRuntimeTopicConfigs, kafkaRuntimeTopics } from "./lib/checks.mjs";
import { Overlay } from "./lib/overlay.mjs";
import { kubectlVersion, render, RenderError } from "./lib/render.mjs";
import { schemaProblems } from "./lib/schemas.mjs";
import { quarkusServices, topicConstants } from "./lib/services.mjs";
import { documentedSeries } from "./lib/dashboards.mjs";

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { repo: resolve(here, "../.."), overlays: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--repo") args.repo = resolve(argv[++i]);
    else args.overlays.push(resolve(argv[i]));
  }
  if (args.overlays.length === 0) {
    const root = join(here, "../overlays");
    args.overlays = readdirSync(root).map((name) => join(root, name)).filter((dir) => statSync(dir).isDirectory());
  }
  return args;
}

async function validateOverlay(dir, services, repo, tally) {
  const inRepo = relative(repo.root, dir);
  const name = inRepo.startsWith("..") ? dir : inRepo;
  let resources;
  try {
    resources = render(dir);
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    report(tally, `overlay ${name}`, { problems: [error.message], warnings: [] });
    return;
  }
  console.log(`\noverlay ${name}: ${resources.length} resources`);
  const overlay = new Overlay(dir, resources);
  const checks = new Checks(overlay, services, repo);
  for (const resource of resources) {
    const label = `${resource.kind}/${resource.metadata?.name}`;
    const schema = await schemaProblems(resource);
    const cross = checks.resource(resource);
    report(tally, label, { problems: [...schema, ...cross.problems], warnings: cross.warnings });
  }
  report(tally, "topics: KafkaTopics = kafka-runtime's topics ⊇ the services' topics", checks.topicList());
  report(tally, "services: each Quarkus service in one workload", checks.serviceList());
}

function report(tally, label, { problems, warnings }) {
  if (problems.length === 0) {
    tally.passed++;
    console.log(`  ok    ${label}`);
  } else {
    tally.failed++;
    console.log(`  FAIL  ${label}`);
    for (const problem of problems) console.log(`          - ${problem}`);
  }
  for (const warning of warnings) console.log(`          warning: ${warning}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  try {
    console.log(`deploy validation with ${kubectlVersion()}`);
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    console.error(`deploy validation cannot run: ${error.message}`);
    return 2;
  }
  const services = quarkusServices(args.repo);
  const repo = {
    root: args.repo,
    topicConstants: topicConstants(args.repo),
    kafkaRuntimeTopics: kafkaRuntimeTopics(args.repo),
    kafkaRuntimeTopicConfigs: kafkaRuntimeTopicConfigs(args.repo),
    documentedSeries: documentedSeries(args.repo),
  };
  console.log(`services of ${args.repo}: ${[...services.keys()].join(", ")}`);
  const tally = { passed: 0, failed: 0 };
  for (const dir of args.overlays) {
    await validateOverlay(dir, services, repo, tally);
  }
  console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
  return tally.failed === 0 ? 0 : 1;
}

process.exitCode = await main();

#!/usr/bin/env node
// Runs a TensorFlow.js graph model with tfjs's pure JavaScript CPU backend: the reference that
// `sensen-edge models convert-tfjs` output is checked against (Sensen.Edge.Tests/Detection/TfjsReferenceTests).
//   node scripts/tfjs-reference.cjs TFJS_DIR MODEL_JSON INPUT_BIN SHAPE OUTPUTS OUT_DIR
// TFJS_DIR holds node_modules/@tensorflow/{tfjs-core,tfjs-converter,tfjs-backend-cpu} (build.sh installs them
// into .cache/npm/tfjs); INPUT_BIN is float32 little-endian of SHAPE (comma-separated); OUTPUTS are tensor
// names, comma-separated. Writes OUT_DIR/NAME.bin (float32 little-endian, '/' and ':' in NAME become '_')
// and OUT_DIR/outputs.json listing each output's name, shape and file.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [tfjsDir, modelJson, inputBin, shapeArg, outputsArg, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: tfjs-reference.cjs TFJS_DIR MODEL_JSON INPUT_BIN SHAPE OUTPUTS OUT_DIR');
  process.exit(2);
}

const load = createRequire(path.join(path.resolve(tfjsDir), 'package.json'));
const tf = load('@tensorflow/tfjs-core');
load('@tensorflow/tfjs-backend-cpu');
const converter = load('@tensorflow/tfjs-converter');

async function main() {
  await tf.setBackend('cpu');
  const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const buffers = [];
  for (const group of model.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const graph = await converter.loadGraphModel(tf.io.fromMemory({
    modelTopology: model.modelTopology, weightSpecs: specs, weightData, format: model.format,
    generatedBy: model.generatedBy, convertedBy: model.convertedBy, signature: model.signature,
  }));

  const shape = shapeArg.split(',').map(Number);
  const raw = fs.readFileSync(inputBin);
  const input = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), shape, 'float32');
  const names = outputsArg.split(',');
  let results = graph.execute(input, names);
  if (!Array.isArray(results)) results = [results];
  fs.mkdirSync(outDir, { recursive: true });
  const listed = [];
  for (let i = 0; i < names.length; i++) {
    const file = names[i].replace(/[/:]/g, '_') + '.bin';
    const data = await results[i].data();
    fs.writeFileSync(path.join(outDir, file), Buffer.from(new Float32Array(data).buffer));
    listed.push({ name: names[i], shape: results[i].shape, file });
  }
  fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify(listed, null, 1));
}

main().catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(1); });

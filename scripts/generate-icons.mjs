#!/usr/bin/env node
// Draws the add-in icons (assets/icon-{16,32,64,80,128}.png, and for the unified manifest's app package
// assets/color-192.png and the white-on-transparent assets/outline-32.png) without any image library: a
// blue rounded square with a white contact silhouette and a sync badge, rendered by supersampling.
// Run it again after changing the drawing; the PNGs are committed.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const SIZES = [16, 32, 64, 80, 128];
const SAMPLES = 4; // 4×4 subsamples per pixel for smooth edges
const BRAND = [15, 108, 189]; // Fluent "communication blue" #0F6CBD
const WHITE = [255, 255, 255];
const BADGE = [16, 124, 16]; // Fluent green #107C10

/** Coverage tests in unit coordinates (0..1, y down). Later layers paint over earlier ones. */
const layers = [
  { color: BRAND, inside: (x, y) => inRoundedSquare(x, y, 0.0, 1.0, 0.18) },
  { color: WHITE, inside: (x, y) => dist(x, y, 0.42, 0.34) <= 0.16 }, // head
  { color: WHITE, inside: (x, y) => y >= 0.56 && y <= 0.84 && ellipse(x, y, 0.42, 0.84, 0.28, 0.28) }, // shoulders
  { color: WHITE, inside: (x, y) => dist(x, y, 0.74, 0.74) <= 0.2 }, // badge ring
  { color: BADGE, inside: (x, y) => dist(x, y, 0.74, 0.74) <= 0.16 },
  { color: WHITE, inside: (x, y) => inSyncArrows(x - 0.74, y - 0.74) },
];

/** The unified manifest's outline icon: the same shapes in white only, on transparency. */
const outlineLayers = [
  layers[1],
  layers[2],
  { color: WHITE, inside: (x, y) => dist(x, y, 0.74, 0.74) <= 0.2 && dist(x, y, 0.74, 0.74) >= 0.15 },
  layers[5],
];

function dist(x, y, cx, cy) {
  return Math.hypot(x - cx, y - cy);
}
function ellipse(x, y, cx, cy, rx, ry) {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}
function inRoundedSquare(x, y, lo, hi, r) {
  const cx = Math.min(Math.max(x, lo + r), hi - r);
  const cy = Math.min(Math.max(y, lo + r), hi - r);
  return x >= lo && x <= hi && y >= lo && y <= hi && dist(x, y, cx, cy) <= r;
}
/** Two arcs of a ring with a gap at top-right and bottom-left: reads as "sync" at any size. */
function inSyncArrows(dx, dy) {
  const r = Math.hypot(dx, dy);
  if (r < 0.07 || r > 0.11) return false;
  const angle = Math.atan2(dy, dx); // -π..π
  const gap = 0.5;
  return !(Math.abs(angle + Math.PI / 4) < gap || Math.abs(angle - (3 * Math.PI) / 4) < gap);
}

function render(size, shapes = layers) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let color = null;
          for (const layer of shapes) if (layer.inside(x, y)) color = layer.color;
          if (color) {
            r += color[0]; g += color[1]; b += color[2]; a += 1;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "assets");
fs.mkdirSync(outDir, { recursive: true });
const outputs = [
  ...SIZES.map((size) => ({ name: `icon-${size}.png`, size, shapes: layers })),
  { name: "color-192.png", size: 192, shapes: layers },
  { name: "outline-32.png", size: 32, shapes: outlineLayers },
];
for (const { name, size, shapes } of outputs) {
  fs.writeFileSync(path.join(outDir, name), encodePng(size, render(size, shapes)));
  console.log(`Wrote assets/${name}`);
}

// Copies the pinned front-end libraries from node_modules into static/vendor/ so the app serves them itself
// (no CDN at run time). Run by `make assets` after `npm ci`; the copies are gitignored.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const vendor = join(here, "static", "vendor");

// [package file, served name]
const FILES = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["alpinejs/dist/cdn.min.js", "alpine.min.js"],
  ["echarts/dist/echarts.min.js", "echarts.min.js"],
];

mkdirSync(vendor, { recursive: true });
for (const [src, name] of FILES) {
  copyFileSync(join(root, "node_modules", src), join(vendor, name));
  console.log(`static/vendor/${name}`);
}

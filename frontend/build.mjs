// Build the service's CSS and copy GOV.UK Frontend's assets and JavaScript into static/.
// Nothing third-party is committed: this runs at set-up, from node_modules.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static";
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/govuk`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });

const result = sass.compile("frontend/scss/main.scss", {
  importers: [new sass.NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/css/main.css`, result.css);

cpSync("node_modules/govuk-frontend/dist/govuk/assets", `${out}/govuk/assets`, { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`);
cpSync("frontend/js", `${out}/js`, { recursive: true });
console.log(`Built ${out}/css/main.css (${result.css.length} bytes) and copied GOV.UK Frontend assets`);

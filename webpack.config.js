// Builds the task pane and the two sign-in helper pages.
//   npm run build                      production bundle in dist/ (content hashes, split chunks)
//   npx webpack serve --mode development   dev server (scripts/start.mjs runs it with the local servers)
//
// Build inputs (environment):
//   PANE_CONFIG    path to the config.json to ship (default: local mode, the APIs proxied at /practice, /graph)
//   OFFICE_JS_URL  where the pages load office.js (default: Microsoft's CDN in production and on the HTTPS
//                  dev server Outlook loads; /office/, the npm copy, for the local browser dev server)
//   ADDIN_ORIGIN   production origin: also writes dist/manifest.xml and dist/manifest.json for it
// Dev server inputs:
//   PANE_HTTPS=1   serve https://localhost:3000 (for Outlook) with office-addin-dev-certs' certificate;
//                  otherwise http://127.0.0.1:3000 (local browser mode)
//   PANE_PORT, PRACTICE_URL (http://127.0.0.1:4100), EMULATOR_URL (https://127.0.0.1:4200),
//   EMULATOR_CA (.data/emulator-cert.pem)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { buildCsp } = require("./scripts/lib/csp.cjs");
const { paneProxyRoutes } = require("./scripts/lib/proxy-routes.cjs");
const { renderManifest } = require("./scripts/lib/manifest.cjs");
const { renderUnifiedManifestText, renderUnifiedLocalizationTexts } = require("./scripts/lib/unified-manifest.cjs");
const { readDevCertificate } = require("./scripts/lib/dev-cert.cjs");

const root = __dirname;
const CDN_OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const LOCAL_CONFIG = { mode: "local", practiceApiUrl: "/practice", graphUrl: "/graph/v1.0" };

function readPaneConfig() {
  const file = process.env.PANE_CONFIG;
  if (!file) return LOCAL_CONFIG;
  try {
    return JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
  } catch (error) {
    throw new Error(`PANE_CONFIG: cannot read ${file}: ${error.message}`, { cause: error });
  }
}

/** Emits config.json, the icons and (with ADDIN_ORIGIN) manifest.xml next to the pane. */
class PaneFilesPlugin {
  constructor(files) {
    this.files = files;
  }
  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap("PaneFilesPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "PaneFilesPlugin", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const [name, content] of Object.entries(this.files())) compilation.emitAsset(name, new RawSource(content));
        },
      );
    });
  }
}

/**
 * Finishes each page's <head>: the CSP meta goes first (a meta policy only covers what follows it), and
 * office.js is loaded from OFFICE_JS_URL on the pages that use it: a template's own office.js tag is
 * pointed there, otherwise one is added. So templates need not know where office.js lives per build.
 */
class PageHeadPlugin {
  constructor({ cspByPage, officeJsUrl, officePages }) {
    this.cspByPage = cspByPage;
    this.officeJsUrl = officeJsUrl;
    this.officePages = officePages;
  }
  apply(compiler) {
    compiler.hooks.compilation.tap("PageHeadPlugin", (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).beforeEmit.tap("PageHeadPlugin", (data) => {
        let html = data.html;
        let extra = "";
        if (this.officePages.includes(data.outputName)) {
          const officeTag = /(<script\b[^>]*\bsrc=)(["']?)[^"'\s>]*office\.js\2/i;
          if (officeTag.test(html)) html = html.replace(officeTag, `$1"${this.officeJsUrl}"`);
          else extra = `<script src="${this.officeJsUrl}"></script>`;
        }
        const csp = this.cspByPage[data.outputName];
        const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : "";
        data.html = html.replace(/<head\b[^>]*>/i, (head) => `${head}${meta}${extra}`);
        return data;
      });
    });
  }
}

module.exports = async (_env, argv) => {
  const production = argv.mode === "production";
  const serving = Boolean(process.env.WEBPACK_SERVE);
  const paneConfig = readPaneConfig();
  // Inside Office the pane loads office.js from Office's CDN, as Microsoft supports only that copy: a
  // production build, and the HTTPS dev server Outlook sideloads (npm run dev-server / start:outlook).
  // The npm copy (/office/, served by the dev server) is for the local browser demo and the tests.
  const insideOffice = production || (serving && process.env.PANE_HTTPS === "1");
  const officeJsUrl = process.env.OFFICE_JS_URL || (insideOffice ? CDN_OFFICE_JS : "/office/office.js");
  const csp = buildCsp({
    officeJsUrl,
    practiceApiUrl: paneConfig.practiceApiUrl,
    graphUrl: paneConfig.graphUrl,
    microsoft365: paneConfig.mode === "microsoft365",
  });
  // The bridge page runs only its own small script and talks to nobody.
  const bridgeCsp = "default-src 'self'; object-src 'none'; base-uri 'self'";

  const paneFiles = () => {
    const files = {
      "config.json": JSON.stringify(paneConfig, null, 2) + "\n",
      // Copied as written (ES5, not bundled): it must run in webviews the bundle cannot.
      "unsupported-webview.js": fs.readFileSync(path.join(root, "src", "taskpane", "unsupported-webview.js")),
    };
    for (const name of fs.readdirSync(path.join(root, "assets"))) {
      if (name.endsWith(".png")) files[`assets/${name}`] = fs.readFileSync(path.join(root, "assets", name));
    }
    if (production && process.env.ADDIN_ORIGIN) {
      const manifestOptions = { origin: process.env.ADDIN_ORIGIN, id: process.env.ADDIN_ID || undefined };
      files["manifest.xml"] = renderManifest(manifestOptions);
      // The unified manifest from the same values (docs/admin-guide.md: which clients use which).
      files["manifest.json"] = renderUnifiedManifestText(manifestOptions);
      // Its language files (manifest.es-ES.json …), which the app package carries beside it.
      Object.assign(files, renderUnifiedLocalizationTexts(manifestOptions));
    }
    return files;
  };

  const config = {
    mode: production ? "production" : "development",
    context: root,
    entry: {
      taskpane: "./src/taskpane/index.tsx",
      redirect: "./src/auth/pages/redirect-bridge.ts",
      "auth-dialog": "./src/auth/pages/auth-dialog.ts",
    },
    output: {
      path: path.join(root, "dist"),
      filename: production ? "[name].[contenthash:12].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash:12].js" : "[name].chunk.js",
      assetModuleFilename: "assets/[name].[contenthash:12][ext]",
      publicPath: "auto",
      clean: true,
    },
    // No eval-based source maps: the pane's CSP allows no 'unsafe-eval', in development too.
    devtool: production ? false : "source-map",
    resolve: { extensions: [".tsx", ".ts", ".mjs", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              transpileOnly: true, // type checking is `npm run typecheck`
              compilerOptions: { noEmit: false, module: "esnext", sourceMap: !production },
            },
          },
        },
        { test: /\.(png|svg|jpg|woff2?)$/, type: "asset/resource" },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane"],
      }),
      new HtmlWebpackPlugin({
        // The MSAL v5 redirect bridge: no COOP (nothing here sets one) and only its own small script.
        filename: "redirect.html",
        template: "./src/auth/pages/redirect.html",
        chunks: ["redirect"],
      }),
      new HtmlWebpackPlugin({
        filename: "auth-dialog.html",
        template: "./src/auth/pages/auth-dialog.html",
        chunks: ["auth-dialog"],
      }),
      new PageHeadPlugin({
        cspByPage: { "taskpane.html": csp, "auth-dialog.html": csp, "redirect.html": bridgeCsp },
        officeJsUrl,
        officePages: ["taskpane.html", "auth-dialog.html"],
      }),
      new PaneFilesPlugin(paneFiles),
    ],
    optimization: {
      minimizer: [swcMinimizer() ?? "..."],
      // Vendors in their own long-cached chunks; the views engineer's lazy views become async chunks.
      splitChunks: {
        chunks: "all",
        cacheGroups: {
          react: { test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, name: "react", priority: 30 },
          // Only what the first screen uses: Fluent components that only lazy views use (the tree, combobox,
          // dialog...) load with those views, not with the pane (issue 11: first load ≤ 250 KB gzipped).
          fluent: { test: /[\\/]node_modules[\\/](@fluentui|@griffel|@floating-ui|tabster|keyborg)[\\/]/, name: "fluent", chunks: "initial", priority: 20 },
          msal: { test: /[\\/]node_modules[\\/]@azure[\\/]/, name: "msal", priority: 20 },
        },
      },
      runtimeChunk: "single",
    },
    performance: { hints: false },
    stats: "errors-warnings",
  };

  if (serving) config.devServer = await devServer();
  return config;
};

/**
 * Minify with swc instead of terser: several times faster on a small machine, same output size class.
 * minimizer-webpack-plugin is webpack's own default minimizer (a dependency of webpack itself); if it
 * is ever missing, webpack's default ("...") is used.
 */
function swcMinimizer() {
  try {
    const MinimizerPlugin = require("minimizer-webpack-plugin");
    return new MinimizerPlugin({ minify: MinimizerPlugin.swcMinify, minimizerOptions: { compress: { passes: 2 }, mangle: true } });
  } catch {
    return null;
  }
}

async function devServer() {
  const https = process.env.PANE_HTTPS === "1";
  const port = Number(process.env.PANE_PORT || 3000);
  const caDefault = path.join(root, ".data", "emulator-cert.pem");
  const emulatorCaFile = process.env.EMULATOR_CA || (fs.existsSync(caDefault) ? caDefault : null);
  const routes = paneProxyRoutes({
    practiceUrl: process.env.PRACTICE_URL || "http://127.0.0.1:4100",
    emulatorUrl: process.env.EMULATOR_URL || "https://127.0.0.1:4200",
    emulatorCaFile,
  });
  return {
    host: https ? "localhost" : "127.0.0.1",
    port,
    hot: true,
    // No CORS headers: Outlook loads the pane as a page in a frame, which needs none, and the /practice
    // and /graph proxies must not be readable from other origins (scripts/lib/proxy-routes.cjs).
    allowedHosts: ["localhost", "127.0.0.1"],
    // office-addin-dev-certs' localhost certificate, signed by its CA that `office-addin-dev-certs install`
    // made the system trust (scripts/lib/dev-cert.cjs).
    server: https ? { type: "https", options: readDevCertificate() } : { type: "http" },
    // office.js needs its whole folder (it loads its host files from beside itself).
    static: [{ directory: path.join(root, "node_modules", "@microsoft", "office-js", "dist"), publicPath: "/office", watch: false }],
    proxy: routes.map((r) => ({ context: [r.prefix], ...r.options })),
    client: { overlay: { errors: true, warnings: false } },
  };
}

// `npm run release -- [--arch x64|arm64] [--key FILE] [--out DIR] [--version V]`: a self-contained
// kiosk release for one architecture, from the built checkout (npm run build):
//
//   spectra-kiosk-<version>-linux-<arch>.tar.gz          bin/, dist/kiosk (the bundle), dist/ui/web,
//                                                        config/default.json, systemd/, scripts/ and
//                                                        docs/operations.md, a package.json of its own,
//                                                        and node_modules with the kiosk's run-time
//                                                        packages only (package.json "kiosk".runtime
//                                                        and what they need, native addons built for
//                                                        <arch>) — central's and the laptop's stay out
//   spectra-kiosk-<version>-linux-<arch>.tar.gz.sha256   "<sha256>  <file name>"
//   spectra-kiosk-<version>-linux-<arch>.tar.gz.sha256.sig  Ed25519 signature (base64) of the .sha256 file
//
// The release key is an Ed25519 private key in PEM (--key, or $SPECTRA_RELEASE_KEY); kiosks hold its
// public half (/etc/spectra-kiosk/release-key.pub) and install nothing it did not sign.
// `node scripts/release.mjs keygen FILE` makes a key pair (FILE and FILE.pub).
// Native addons for another architecture are cross-compiled (arm64: g++-aarch64-linux-gnu, against
// this Node's headers, same ABI as the kiosk's Node 20/22) and cached by package, version and ABI.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CROSS = {
  arm64: { gypArch: "arm64", prefix: "aarch64-linux-gnu-", package: "g++-aarch64-linux-gnu" },
  x64: { gypArch: "x64", prefix: "x86_64-linux-gnu-", package: "g++-x86-64-linux-gnu" },
};

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function options(argv) {
  const result = { arch: process.arch, key: process.env.SPECTRA_RELEASE_KEY, out: join(ROOT, "releases") };
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index];
    const value = argv[index + 1];
    if (!["--arch", "--key", "--out", "--version"].includes(name)) fail(`unknown option ${name}`);
    if (value === undefined) fail(`${name} needs a value`);
    result[name.slice(2)] = value;
    index += 1;
  }
  if (!CROSS[result.arch]) fail(`--arch is x64 or arm64, not ${result.arch}`);
  if (!result.key)
    fail(
      "no release key: --key FILE or $SPECTRA_RELEASE_KEY (node scripts/release.mjs keygen FILE makes one)",
    );
  return result;
}

function keygen(file) {
  if (!file) fail("keygen needs a FILE");
  if (existsSync(file)) fail(`${file} exists: not overwriting a release key`);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(`${file}.pub`, publicKey.export({ type: "spki", format: "pem" }));
  process.stdout.write(`release key: ${file} (keep it secret), public half for kiosks: ${file}.pub\n`);
}

/** The run-time closure of `names` in node_modules: each package with its dependencies, minus build-only ones. */
function closure(names, buildOnly) {
  const found = new Map();
  const visit = (name, from) => {
    if (buildOnly.includes(name)) return;
    const candidates = [join(from, "node_modules", name), join(ROOT, "node_modules", name)];
    const dir = candidates.find((candidate) => existsSync(join(candidate, "package.json")));
    if (!dir) fail(`${name} is not installed (npm ci first)`);
    if (found.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    found.set(dir, manifest);
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
    for (const dependency of optional) {
      if (
        existsSync(join(dir, "node_modules", dependency)) ||
        existsSync(join(ROOT, "node_modules", dependency))
      )
        visit(dependency, dir);
    }
  };
  for (const name of names) visit(name, ROOT);
  return found;
}

const abi = process.versions.modules;

/** Builds one native package's addon for `arch` (cached), returning the folder holding its *.node files. */
function crossBuild(packageDir, manifest, arch) {
  const cache = join(
    process.env.SPECTRA_BUILD_CACHE ?? join(homedir(), ".cache", "spectra-kiosk"),
    "native",
    `${manifest.name.replace("/", "+")}@${manifest.version}-linux-${arch}-abi${abi}`,
  );
  if (existsSync(join(cache, "done"))) return cache;
  const cross = CROSS[arch];
  const work = join(cache, "work");
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(join(work, "node_modules"), { recursive: true });
  const copy = join(work, "node_modules", manifest.name);
  cpSync(packageDir, copy, { recursive: true, filter: (path) => !path.includes("/build/") });
  // Headers-only packages (nan, node-addon-api) come from the checkout's node_modules.
  for (const headers of ["nan", "node-addon-api"]) {
    const from = join(ROOT, "node_modules", headers);
    if (existsSync(from)) cpSync(from, join(work, "node_modules", headers), { recursive: true });
  }
  const gyp = join(
    dirname(process.execPath),
    "..",
    "lib",
    "node_modules",
    "npm",
    "node_modules",
    "node-gyp",
    "bin",
    "node-gyp.js",
  );
  if (!existsSync(gyp)) fail(`node-gyp not found at ${gyp}`);
  const compiler = `${cross.prefix}g++`;
  try {
    execFileSync("sh", ["-c", `command -v ${compiler}`], { stdio: "ignore" });
  } catch {
    fail(`${compiler} is missing: apt-get install ${cross.package}`);
  }
  process.stdout.write(
    `release: building ${manifest.name}@${manifest.version} for linux-${arch} (cached afterwards)\n`,
  );
  execFileSync(
    process.execPath,
    [
      gyp,
      "rebuild",
      "--release",
      `--arch=${cross.gypArch}`,
      `--nodedir=${resolve(dirname(process.execPath), "..")}`,
    ],
    {
      cwd: copy,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        CC: `${cross.prefix}gcc`,
        CXX: compiler,
        LINK: compiler,
        AR: `${cross.prefix}ar`,
        npm_config_arch: cross.gypArch,
      },
    },
  );
  const out = join(cache, "Release");
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(join(copy, "build", "Release"))) {
    if (file.endsWith(".node") && file !== "test_extension.node")
      copyFileSync(join(copy, "build", "Release", file), join(out, file));
  }
  rmSync(work, { recursive: true, force: true });
  writeFileSync(join(cache, "done"), new Date().toISOString());
  return cache;
}

/** Copies a package into the release, keeping only what runs: its addon for `arch`, no sources or objects. */
function copyPackage(dir, manifest, target, arch) {
  const native = existsSync(join(dir, "binding.gyp"));
  const prebuilds = join(dir, "prebuilds");
  cpSync(dir, target, {
    recursive: true,
    filter: (path) => {
      const inside = relative(dir, path);
      if (inside === "") return true;
      // Nested node_modules come with the package; sources, build objects and tests do not.
      if (native && /^(build|deps|src)(\/|$)/.test(inside)) return false;
      if (/(^|\/)(test|tests|\.github)(\/|$)/.test(inside)) return false;
      if (
        inside.startsWith("prebuilds/") &&
        inside.split("/").length === 2 &&
        basename(inside) !== `linux-${arch}`
      )
        return false;
      return true;
    },
  });
  if (!native || existsSync(join(prebuilds, `linux-${arch}`))) return;
  const built = arch === process.arch ? join(dir, "build") : crossBuild(dir, manifest, arch);
  const release = join(target, "build", "Release");
  mkdirSync(release, { recursive: true });
  const from = arch === process.arch ? join(built, "Release") : join(built, "Release");
  for (const file of readdirSync(from)) {
    if (file.endsWith(".node") && file !== "test_extension.node")
      copyFileSync(join(from, file), join(release, file));
  }
}

function sizeOf(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, entry) => total + sizeOf(join(path, entry)), 0);
}

function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

function release(argv) {
  const opts = options(argv);
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const version = opts.version ?? manifest.version;
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)) fail(`${version} is not a version`);
  for (const built of ["dist/kiosk/spectra-kiosk.js", "dist/ui/web"]) {
    if (!existsSync(join(ROOT, built))) fail(`${built} is missing: npm run build first`);
  }
  const key = createPrivateKey(readFileSync(opts.key));
  if (key.asymmetricKeyType !== "ed25519") fail(`${opts.key} is not an Ed25519 key`);
  const name = `spectra-kiosk-${version}-linux-${opts.arch}`;
  const stage = join(opts.out, ".stage", name);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  const files = [
    "bin",
    "dist/kiosk",
    "dist/ui/web",
    "config/default.json",
    "systemd",
    "scripts/install-pi.sh",
    "docs/operations.md",
  ];
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) fail(`${file} is missing`);
    cpSync(join(ROOT, file), join(stage, file), { recursive: true });
  }
  const kiosk = manifest.kiosk;
  const modules = closure(kiosk.runtime, kiosk.buildOnly);
  const dependencies = {};
  for (const [dir, pkg] of modules) {
    const inside = relative(join(ROOT, "node_modules"), dir);
    // Nested copies travel inside their parent's folder.
    if (inside.includes("/node_modules/")) continue;
    copyPackage(dir, pkg, join(stage, "node_modules", inside), opts.arch);
    if (kiosk.runtime.includes(pkg.name)) dependencies[pkg.name] = pkg.version;
  }
  const releaseManifest = {
    name: manifest.name,
    version,
    private: true,
    description: manifest.description,
    type: manifest.type,
    engines: manifest.engines,
    bin: manifest.bin,
    dependencies,
    release: {
      platform: "linux",
      arch: opts.arch,
      nodeAbi: abi,
      commit: gitCommit(),
      builtAt: new Date().toISOString(),
    },
  };
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(releaseManifest, null, 2)}\n`);
  chmodSync(join(stage, "bin", "spectra-kiosk.js"), 0o755);
  const installed = sizeOf(stage);

  mkdirSync(opts.out, { recursive: true });
  const tarball = join(opts.out, `${name}.tar.gz`);
  execFileSync("tar", [
    "-czf",
    tarball,
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "-C",
    join(opts.out, ".stage"),
    name,
  ]);
  rmSync(stage, { recursive: true, force: true });
  const digest = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  const sums = `${digest}  ${basename(tarball)}\n`;
  writeFileSync(`${tarball}.sha256`, sums);
  writeFileSync(`${tarball}.sha256.sig`, `${sign(null, Buffer.from(sums), key).toString("base64")}\n`);
  const publicKey = createPublicKey(key).export({ type: "spki", format: "pem" });
  const summary = {
    release: tarball,
    version,
    arch: opts.arch,
    sha256: digest,
    packedBytes: statSync(tarball).size,
    installedBytes: installed,
    packages: [...modules.values()].map((pkg) => `${pkg.name}@${pkg.version}`).sort(),
    publicKey: publicKey.toString().trim(),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === "keygen") keygen(rest[0]);
else release(command === undefined ? [] : [command, ...rest]);

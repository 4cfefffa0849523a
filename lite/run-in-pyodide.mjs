// Run one Python script inside Pyodide under node: the build precompiles the site's Python with the very interpreter
// that will run it in the browser (kommfit/course/bytecode.py says why). The folder given is mounted at the same
// path, so the script reads and writes the host's files there.
// Usage: node lite/run-in-pyodide.mjs PYODIDE_DIR FOLDER SCRIPT [ARGS...]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, folder, script, ...args] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
pyodide.FS.mkdirTree(folder);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, folder);
pyodide.globals.get("__import__")("sys").argv = pyodide.toPy([script, ...args]);
try {
  pyodide.runPython(readFileSync(script, "utf8"), { filename: script });
} catch (error) {
  if (!(error.type === "SystemExit" && /SystemExit: (0|None)?\s*$/.test(error.message))) {
    console.error(error.message);
    process.exit(1);
  }
}

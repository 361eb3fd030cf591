/**
 * The layering, checked on every `npm run lint` (docs/architecture.md explains it):
 *   core ← payments (pure domain) ← store / drivers / processors ← checkout / sync
 *        ← ui / remote / central ← config / app (the composition root)
 * A folder imports only from folders to its left, and never from a sibling on its own level.
 * Tests and test helpers are outside the rule: they may reach into any part they prove.
 */
const layer = (name, allowed) => ({
  name: `${name}-imports-only-below`,
  comment: `src/${name} may import only from ${allowed.join(", ")} (the layering in docs/architecture.md)`,
  severity: "error",
  from: { path: `^src/${name}/`, pathNot: "\\.test(-helpers)?\\.tsx?$" },
  to: { path: "^src/", pathNot: `^src/(${[name, ...allowed].join("|")})/` },
});

module.exports = {
  forbidden: [
    layer("core", []),
    layer("payments", ["core"]),
    layer("store", ["core", "payments"]),
    layer("drivers", ["core", "payments"]),
    layer("processors", ["core", "payments"]),
    layer("checkout", ["core", "payments", "store", "drivers", "processors"]),
    layer("sync", ["core", "payments", "store"]),
    // The screens ask the checkout layer; they never touch a table or a processor.
    layer("ui", ["core", "payments", "drivers", "checkout"]),
    layer("remote", ["core", "payments", "store", "sync"]),
    layer("central", ["core", "payments", "sync"]),
    {
      name: "screen-flows-are-pure",
      comment: "src/ui/flows are pure state machines: no server, no web front end, no I/O modules",
      severity: "error",
      from: { path: "^src/ui/flows/", pathNot: "\\.test(-helpers)?\\.tsx?$" },
      to: { path: "^src/ui/(server|web)/|^node:|^(better-sqlite3|mqtt|ws|serialport|pg)$" },
    },
    {
      name: "no-circular",
      comment: "a cycle makes two parts one: break it with an interface on the lower side",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SearchSpace } from "../../space/distributions.js";
import { ActivityRules } from "./activity.js";
import { GPInputSpace } from "./input-space.js";

// Columns are sorted by name: gate (numeric), momentum, optimizer, plan, step.
const space: SearchSpace = {
  optimizer: { type: "categorical", choices: ["sgd", "adam", "lion"] },
  momentum: { type: "float", low: 0, high: 1, log: false, step: null },
  plan: { type: "categorical", choices: ["cosine", "step"] },
  step: { type: "int", low: 1, high: 9, log: false, step: 1 },
  gate: { type: "float", low: 0, high: 1, log: false, step: null },
};
const input = new GPInputSpace(space);
const column = (name: string) => input.names.indexOf(name);

/** Rows of internal values; absent parameters become inactive. */
function rows(...trials: Record<string, number>[]): Float64Array {
  const x = new Float64Array(trials.length * input.dim);
  trials.forEach((t, i) => x.set(input.encode(t), i * input.dim));
  return x;
}

// momentum exists for sgd only; plan for sgd and lion; step only when plan is "step"; gate's presence follows no
// categorical (it depends on something the data do not show).
const history = rows(
  { optimizer: 0, momentum: 0.9, plan: 1, step: 3 },
  { optimizer: 0, momentum: 0.5, plan: 0, gate: 0.2 },
  { optimizer: 1, gate: 0.4 },
  { optimizer: 2, plan: 1, step: 5 },
  { optimizer: 1 },
);

describe("ActivityRules", () => {
  const rules = ActivityRules.learn(history, 5, input);
  const masked = (values: Record<string, number>) => {
    const point = input.encode({ optimizer: 0, momentum: 0.3, plan: 0, step: 4, gate: 0.5, ...values });
    rules.mask(point);
    return Object.fromEntries(input.names.map((name) => [name, !Number.isNaN(point[column(name)]!)]));
  };

  it("learns which categorical choice a conditional parameter lives under", () => {
    assert.ok(rules.conditional);
    assert.deepEqual(masked({ optimizer: 0, plan: 1 }), { gate: true, momentum: true, optimizer: true, plan: true, step: true });
    assert.deepEqual(masked({ optimizer: 1, plan: 1 }), { gate: true, momentum: false, optimizer: true, plan: false, step: false });
  });

  it("follows chains of conditions: step needs plan \"step\", plan needs sgd or lion", () => {
    assert.deepEqual(masked({ optimizer: 2, plan: 0 }), { gate: true, momentum: false, optimizer: true, plan: true, step: false });
    assert.deepEqual(masked({ optimizer: 2, plan: 1 }), { gate: true, momentum: false, optimizer: true, plan: true, step: true });
  });

  it("leaves parameters active when no rule explains their presence, and learns nothing from a fixed space", () => {
    assert.equal(masked({ optimizer: 1 }).gate, true);
    const fixed = ActivityRules.learn(rows({ optimizer: 0, momentum: 0.1, plan: 0, step: 2, gate: 0.3 }), 1, input);
    assert.equal(fixed.conditional, false);
  });
});

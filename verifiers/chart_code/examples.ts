/** Published examples of the `chart_code` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

const barChart = [
  "import matplotlib.pyplot as plt",
  "fig, ax = plt.subplots(figsize=(6, 4))",
  "ax.bar(['north', 'south', 'east'], [5, 3, 4], color=['#1f77b4', '#ff7f0e', '#2ca02c'])",
  "ax.set_title('Sales by region')",
  "ax.set_ylabel('units')",
  "plt.savefig('chart.png')",
].join("\n");

const lineChart = barChart.replace(
  "ax.bar(['north', 'south', 'east'], [5, 3, 4], color=['#1f77b4', '#ff7f0e', '#2ca02c'])",
  "ax.plot(['north', 'south', 'east'], [5, 3, 4], color='#1f77b4')",
);

export const chartExamples: VerifierExample[] = [
  {
    title: "the reference's own code in a python fence: every score is 1",
    item: { response: "Here is the code:\n```python\n" + barChart + "\n```", reference: { code: barChart } },
    expected: {
      reward: 1,
      correct: true,
      details: {
        reason: null,
        profile: "default",
        scores: { text: 1, layout: 1, type: 1, color: 1, image: 1 },
      },
    },
  },
  {
    title: "a line instead of bars: the chart type and colors are wrong",
    item: { response: "```python\n" + lineChart + "\n```", reference: { code: barChart } },
    expected: {
      reward: 0.5811518048685366,
      correct: false,
      details: { reason: "wrong", scores: { text: 1, layout: 1, type: 0, color: 0 } },
    },
  },
  {
    title: "code with a syntax error does not render",
    item: { response: "```python\nplt.bar([1, 2], [3, 4]\n```", reference: { code: barChart } },
    expected: { reward: 0, correct: false, details: { reason: "render_failed", problem: "syntax_error" } },
  },
  {
    title: "a figure without data earns nothing",
    item: {
      response: "```python\nimport matplotlib.pyplot as plt\nplt.title('Sales by region')\n```",
      reference: { code: barChart },
    },
    expected: { reward: 0, correct: false, details: { reason: "no_data_drawn" } },
  },
  {
    title: "the chartmimic profile: mean of the text, layout, type and color F1",
    item: {
      response: "```python\n" + lineChart + "\n```",
      reference: { code: barChart },
      options: { profile: "chartmimic" },
    },
    expected: {
      reward: 0.35,
      correct: false,
      details: { reason: "wrong", profile: "chartmimic", scores: { type: 0, color: 0, layout: 1 } },
    },
  },
];

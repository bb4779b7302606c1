/**
 * The comparison as a chart beside its table: one dot per stated target, places along the axis, a colour
 * and shape per year (Chart.js, served from /vendor and loaded only when the Compare view is first drawn).
 * Every dot is a target the documents state; nothing is interpolated or averaged, and no line joins dots.
 * A range (10至13所) is drawn at its lower bound with a bar up to its upper bound, and its tooltip quotes
 * the value as written; "45%以上" is drawn at 45. Targets in another unit than the metric's usual one stay
 * in the table only (the note under the chart says how many). Clicking a dot opens its clause.
 */
import { openDocument } from './doc-panel.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** Colours 4.5:1 or better on white, told apart without colour too by the point shapes below. */
const COLOURS = ['#1d4ed8', '#b3261e', '#1b7a3d', '#8a5a00', '#6d28d9', '#0e7490', '#9d174d', '#374151'];
const SHAPES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross'];

let library = null;

/** Chart.js, loaded once by a script element (a classic UMD file: it sets window.Chart). */
function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  library ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'vendor/chart.umd.min.js';
    script.onload = () => (window.Chart ? resolve(window.Chart) : reject(new Error('Chart.js did not load')));
    script.onerror = () => {
      library = null;
      script.remove();
      reject(new Error('Chart.js did not load'));
    };
    document.head.append(script);
  });
  return library;
}

/** White behind the chart, so the PNG export is readable in any viewer (a canvas is transparent). */
const whiteBackground = {
  id: 'zhengceBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** A bar from a range's lower bound (the dot) to its upper bound. */
const rangeBars = {
  id: 'zhengceRanges',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((point, j) => {
        const target = dataset.data[j]?.target;
        if (target?.valueMax === null || target?.valueMax === undefined) return;
        ctx.save();
        ctx.strokeStyle = dataset.borderColor;
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(point.x, y.getPixelForValue(target.value));
        ctx.lineTo(point.x, y.getPixelForValue(target.valueMax));
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/** The unit most of the targets use: the one the axis is drawn in. */
function mainUnit(targets) {
  const counts = new Map();
  for (const target of targets) counts.set(target.unit, (counts.get(target.unit) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function yearLabel(year) {
  return year === null ? t('noYear') : String(year);
}

function tooltipLine(target) {
  const text = target.qualifier ? `${target.valueText} (${target.qualifier})` : target.valueText;
  return target.valueMax !== null ? t('chartRangeValue', { text, value: target.value }) : text;
}

/**
 * Draws the chart into `container` (emptied first) and returns { chart, canvas, charted, places }.
 * @param {HTMLElement} container
 * @param {{ targets: object[], regions: string[], years: (number|null)[], metric: string }} comparison
 */
export async function drawComparisonChart(container, { targets, regions, years, metric }) {
  const Chart = await loadChartJs();
  const unit = mainUnit(targets);
  const charted = targets.filter((x) => x.unit === unit);
  const otherUnits = [...new Set(targets.filter((x) => x.unit !== unit).map((x) => x.unit))];
  const canvas = h('canvas', {
    id: 'compare-canvas',
    role: 'img',
    'aria-label': t('chartLabel', { metric, places: regions.length, unit }),
    'data-places': regions.length,
    'data-points': charted.length,
  });
  const notes = [t('chartRangeNote')];
  if (otherUnits.length > 0) {
    notes.push(t('chartOtherUnits', { n: targets.length - charted.length, units: otherUnits.join(', ') }));
  }
  container.replaceChildren(
    h('div', { class: 'chart-box' }, canvas),
    h('p', { class: 'chart-note', id: 'compare-chart-note', text: notes.join(' ') }),
  );
  const datasets = years
    .map((year, i) => ({
      label: yearLabel(year),
      data: charted
        .filter((x) => x.year === year)
        .map((target) => ({ x: target.region, y: target.value, target })),
      showLine: false,
      borderColor: COLOURS[i % COLOURS.length],
      backgroundColor: COLOURS[i % COLOURS.length],
      pointStyle: SHAPES[i % SHAPES.length],
      pointRadius: 6,
      pointHoverRadius: 8,
    }))
    .filter((dataset) => dataset.data.length > 0);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: regions, datasets },
    plugins: [whiteBackground, rangeBars],
    options: {
      // Drawn at once: no motion to sit through (or to wait for before exporting the image).
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: { type: 'category', offset: true, ticks: { autoSkip: false, maxRotation: 60 } },
        y: { beginAtZero: true, title: { display: Boolean(unit), text: unit } },
      },
      plugins: {
        title: { display: true, text: metric },
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${tooltipLine(item.raw.target)}`,
          },
        },
      },
      onClick: (_event, elements) => {
        const hit = elements[0];
        const target = hit && chart.data.datasets[hit.datasetIndex]?.data[hit.index]?.target;
        if (!target) return;
        openDocument(
          {
            docId: target.docId,
            start: target.start,
            end: target.end,
            clause: target.headingPath.join(' › '),
          },
          canvas,
        );
      },
    },
  });
  return { chart, canvas, charted, places: regions };
}

/** The chart as a PNG file (what is on the canvas, at its pixel size). */
export function chartPng(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png');
  });
}

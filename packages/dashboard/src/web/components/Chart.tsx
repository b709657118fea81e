import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type ChartSeries = { label: string; stroke: string; fill?: string; bars?: boolean; points?: boolean };

export type ChartProps = {
  id: string;
  title: string;
  /** What the chart shows, for screen readers. */
  summary: string;
  /** x (Unix seconds) first, then one array per series. */
  data: [number[], ...(number | null)[][]];
  series: ChartSeries[];
  yLabel: string;
};

/** One uPlot chart, sized to its container, updated in place when `data` changes. */
export function Chart({ id, title, summary, data, series, yLabel }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const styles = getComputedStyle(document.documentElement);
    const axisColor = styles.getPropertyValue("--muted").trim() || "#666";
    const gridColor = styles.getPropertyValue("--grid").trim() || "#ddd";
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    plot.current = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: 180,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [axis, { ...axis, label: yLabel, size: 60 }],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2,
            ...(s.fill ? { fill: s.fill } : {}),
            ...(s.bars ? { paths: uPlot.paths.bars?.({ size: [0.8, 40] }) } : {}),
            points: { show: s.points ?? false, size: 6 },
            spanGaps: false,
          })),
        ],
      },
      data as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(200, element.clientWidth), height: 180 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is built once; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  const points = data.slice(1).reduce((n, s) => n + s.filter((v) => v !== null).length, 0);
  return (
    <figure class="chart" data-testid={id} data-points={points} aria-label={`${title}: ${summary}`}>
      <figcaption>{title}</figcaption>
      <div ref={host} class="chart-host" role="img" aria-label={summary} />
    </figure>
  );
}

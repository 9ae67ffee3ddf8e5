import {
  BarChart,
  FunnelChart,
  HeatmapChart,
  LineChart,
  PieChart,
  ScatterChart,
} from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { getInstanceByDom, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the chart types the report engine shapes for, so the chart chunk stays small.
use([
  BarChart,
  LineChart,
  PieChart,
  FunnelChart,
  ScatterChart,
  HeatmapChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/**
 * One ECharts instance drawing `option`, resized with its box, reporting clicks on data points
 * (series and row of the dataset). Loaded lazily: ECharts is only downloaded for dashboards.
 */
export default function EChartView(props: {
  readonly option: Record<string, unknown>;
  readonly label: string;
  readonly onPoint: (seriesIndex: number, dataIndex: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const onPoint = useRef(props.onPoint);
  onPoint.current = props.onPoint;
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = init(element);
    chart.on('click', (params) => {
      if (typeof params.seriesIndex === 'number' && typeof params.dataIndex === 'number') {
        onPoint.current(params.seriesIndex, params.dataIndex);
      }
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, []);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    getInstanceByDom(element)?.setOption(props.option, true);
  }, [props.option]);
  return <div ref={box} className="jny-chart" role="img" aria-label={props.label} />;
}

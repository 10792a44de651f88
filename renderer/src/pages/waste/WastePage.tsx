import { WasteEmpty } from './WasteEmpty.tsx';
import { useReport } from '../../api/hooks.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { ErrorState } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import { DropZone } from './DropZone.tsx';
import { Findings } from './Findings.tsx';
import { ReportSummary } from './ReportSummary.tsx';
import { RoiBlock } from './RoiBlock.tsx';
import { UploadList } from './UploadList.tsx';
import { useUploads } from './useUploads.ts';
import '../../styles/waste.css';

function Report() {
  const report = useReport();
  if (report.isPending) {
    return (
      <>
        <CardSkeleton label="Building the waste report" height={200} />
        <CardSkeleton height={120} />
      </>
    );
  }
  if (report.isError) {
    return (
      <ErrorState
        title="Could not build the waste report"
        error={report.error}
        onRetry={() => void report.refetch()}
        retrying={report.isFetching}
      />
    );
  }
  const data = report.data;
  if (data.period === null) return <WasteEmpty />;
  return (
    <div className="stack" data-testid="waste-report" aria-busy={report.isFetching}>
      <ReportSummary report={data} />
      <RoiBlock roi={data.roi} />
      <Findings report={data} />
      <p className="subtle">Report generated {formatDateTime(data.generatedAt)}.</p>
    </div>
  );
}

export default function WastePage() {
  const uploads = useUploads();
  return (
    <>
      <PageHeader
        title="Waste report"
        description="Import bills and usage exports from your AI and cloud providers; Apex finds the spend you can cut and shows the rows behind every finding."
      />
      <div className="stack" data-testid="waste-page">
        <DropZone onFiles={uploads.addFiles} busy={uploads.busy} />
        <UploadList items={uploads.items} onClear={uploads.clearFinished} />
        <Report />
      </div>
    </>
  );
}

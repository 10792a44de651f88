/**
 * Instance, machine and VM sizes named in a bill's free text. Bills that have no instance-type column
 * (FOCUS 1.0, Azure meters, GCP SKUs) still name the size in a description, and the GPU findings group
 * and price rows by it, so the same VM must come out with the same type from every export.
 */

// AWS: family with a generation digit, a dot and a size ("p4d.24xlarge", "ml.g5.xlarge", "u-6tb1.metal").
const AWS_TYPE =
  /(?<![\w.])((?:ml\.)?[a-z][a-z-]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?))(?![\w.])/;

// GCP: series, a known class word, then sizes ("a2-highgpu-1g", "n1-standard-8", "c3-standard-22-lssd").
const GCP_TYPE =
  /(?<![\w-])([a-z]{1,2}\d[a-z]?-(?:standard|highmem|highcpu|highgpu|megagpu|ultragpu|edgegpu|ultramem|megamem|hypermem|custom|micro|small|medium)(?:-\d+[a-z]*)*(?:-lssd)?)(?![\w-])/;

// Azure ARM size as written in AdditionalInfo/ServiceType ("Standard_NC24ads_A100_v4").
const AZURE_ARM_SIZE = /(?<![\w])(Standard_[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*)(?![\w])/;

// Accelerator names that look like a size ("A100 v4" in "NCads A100 v4 Series") but never are one.
const ACCELERATOR = '(?:A100|A10|H100|H200|T4|V100|P100|P40|M60|MI300X|L4|L40S|B200|GB200|GB300)';

// Azure meter form: size, optional accelerator, version ("NC24ads A100 v4", "NC8as T4 v3 Spot", "D2s v3").
const AZURE_METER_SIZE = new RegExp(
  `(?<![\\w])(?!${ACCELERATOR}\\b)([A-Z]{1,4}\\d+(?:[a-z-][a-z0-9-]*)?)(?:\\s+(${ACCELERATOR}|[A-Z]{1,3}\\d+[A-Z]*))?\\s+(v\\d+)(?![\\w])`,
);

const MAX_TEXT = 512;

/** The first instance/machine/VM size named in the text (Azure sizes as ARM names), or null. */
export function instanceTypeFrom(full: string | null | undefined): string | null {
  if (!full) return null;
  // Sizes sit in short descriptions; the cap bounds the regex work on a pathological field.
  const text = full.slice(0, MAX_TEXT);
  const aws = AWS_TYPE.exec(text);
  if (aws?.[1]) return aws[1];
  const gcp = GCP_TYPE.exec(text);
  if (gcp?.[1]) return gcp[1];
  const arm = AZURE_ARM_SIZE.exec(text);
  if (arm?.[1]) return arm[1];
  const meter = AZURE_METER_SIZE.exec(text);
  if (!meter?.[1] || !meter[3]) return null;
  return ['Standard', meter[1], meter[2], meter[3]].filter(Boolean).join('_');
}

// GPU SKUs name the accelerator, never the machine; each accelerator belongs to one machine series.
const GCP_GPU_SERIES: ReadonlyArray<[RegExp, string]> = [
  [/\bB200\b/i, 'a4'],
  [/\bH100\b|\bH200\b/i, 'a3'],
  [/\bA100\b/i, 'a2'],
  [/\bL4\b/i, 'g2'],
  [/\bT4\b|\bV100\b|\bP100\b|\bP4\b|\bK80\b/i, 'n1'],
];

// "A2 Instance Core", "N1 Predefined Instance Ram", "Spot Preemptible E2 Instance Core".
const SERIES_SKU =
  /^(?:(?:Spot|Preemptible|Commitment v\d+:)\s+)*([A-Z]{1,2}\d[A-Z]?)\s+(?:[A-Za-z-]+\s+)?Instance\s+(?:Core|Ram)\b/i;

/**
 * The machine series of a Compute Engine SKU ("A2 Instance Core running in Americas" and "Nvidia Tesla
 * A100 GPU running in Americas" are both "a2"), so the GPU, core and RAM rows of one VM share a type
 * when the export has no machine_spec label.
 */
export function gcpSeriesFromSku(description: string | null): string | null {
  if (!description) return null;
  const series = SERIES_SKU.exec(description);
  if (series?.[1]) return series[1].toLowerCase();
  if (!/\bGPU\b/i.test(description)) return null;
  for (const [pattern, name] of GCP_GPU_SERIES) if (pattern.test(description)) return name;
  return null;
}

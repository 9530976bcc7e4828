/**
 * The counts of a generated city, derived from its number of enterprises by fixed ratios (README "Demo city").
 * 120 enterprises is the demo (`DEMO_CITY_SIZE`), 100,000 the benchmark: 20,000 order classes, 1,000,000
 * practice records.
 */
export interface CitySizes {
  enterprises: number;
  /** vocational schools besides the six of the plan's seed documents: one per 50 enterprises, at least one per county */
  schools: number;
  /** certification applications: one per two enterprises (each enterprise applies at most once) */
  applications: number;
  /** provincial or national certifications recorded by the city or proposed to it: one per 40 enterprises, a handful at least */
  records: number;
  /** order classes: one per 5 enterprises */
  orderClasses: number;
  /** teachers: two per enterprise */
  teachers: number;
  /** practice records: ten per enterprise (five per teacher, never overlapping) */
  practiceRecords: number;
  /** 千企万岗 posts: one per two enterprises; two applications per post */
  posts: number;
}

export function citySizes(enterprises: number): CitySizes {
  const n = Math.max(0, Math.floor(enterprises));
  return {
    enterprises: n,
    schools: Math.max(12, Math.round(n / 50)),
    applications: Math.floor(n / 2),
    records: n > 0 ? Math.max(6, Math.floor(n / 40)) : 0,
    orderClasses: Math.floor(n / 5),
    teachers: 2 * n,
    practiceRecords: 10 * n,
    posts: Math.floor(n / 2),
  };
}

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addWorkingDays, type CalendarOverrides, type DayKind } from './working-days.js';

/** How long a process trusts its copy of the calendar table. */
const CACHE_MS = 60_000;

/** The working-day calendar kept as editable data (calendar_days), cached briefly. */
@Injectable()
export class CalendarService {
  private cache: { at: number; days: CalendarOverrides } | undefined;

  constructor(private readonly ds: DataSource) {}

  /** `em`: read through the caller's transaction (see SettingsService.all). */
  async overrides(em?: EntityManager): Promise<CalendarOverrides> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.days;
    const rows: Array<{ day: string; kind: DayKind }> = await (em ?? this.ds.manager).query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days`,
    );
    this.cache = { at: Date.now(), days: new Map(rows.map((r) => [r.day, r.kind])) };
    return this.cache.days;
  }

  invalidate(): void {
    this.cache = undefined;
  }

  async addWorkingDays(from: Date, n: number, em?: EntityManager): Promise<Date> {
    return addWorkingDays(from, n, await this.overrides(em));
  }
}

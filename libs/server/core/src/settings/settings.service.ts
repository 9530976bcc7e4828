import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  SETTING_DEFINITIONS,
  settingDefaults,
  TEXT_SETTING_DEFINITIONS,
  textSettingDefaults,
  type SettingKey,
  type SettingValues,
  type TextSettingKey,
  type TextSettingValues,
} from '@portal/contracts';
import { Repository, type EntityManager } from 'typeorm';
import { DomainException } from '../errors/domain-exception.js';
import { SettingEntity } from './setting.entity.js';

/** How long a process trusts its copy of the settings; other instances' changes show within this time. */
const CACHE_MS = 2000;

/**
 * Policy numbers (DOMAIN.md: amounts, days, thresholds): defaults from contracts, overrides in the
 * `settings` table, edited by an admin.
 */
@Injectable()
export class SettingsService {
  private cache: { at: number; values: SettingValues } | undefined;
  private textCache: { at: number; values: TextSettingValues } | undefined;

  constructor(@InjectRepository(SettingEntity) private readonly repo: Repository<SettingEntity>) {}

  /**
   * `em`: read through this transaction's connection. A caller holding a transaction (and row locks) must
   * pass it: taking a second pooled connection while others wait on its locks can starve the pool.
   */
  async all(em?: EntityManager): Promise<SettingValues> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.values;
    const values = settingDefaults();
    for (const row of await (em ? em.getRepository(SettingEntity) : this.repo).find()) {
      if (Object.hasOwn(SETTING_DEFINITIONS, row.key) && typeof row.value === 'number') values[row.key as SettingKey] = row.value;
    }
    this.cache = { at: Date.now(), values };
    return values;
  }

  async get<K extends SettingKey>(key: K, em?: EntityManager): Promise<SettingValues[K]> {
    return (await this.all(em))[key];
  }

  /** The wording settings (issuing authority, document paragraphs): defaults with the database's overrides. */
  async texts(em?: EntityManager): Promise<TextSettingValues> {
    if (this.textCache && Date.now() - this.textCache.at < CACHE_MS) return this.textCache.values;
    const values = textSettingDefaults();
    for (const row of await (em ? em.getRepository(SettingEntity) : this.repo).find()) {
      if (Object.hasOwn(TEXT_SETTING_DEFINITIONS, row.key) && typeof row.value === 'string') values[row.key as TextSettingKey] = row.value;
    }
    this.textCache = { at: Date.now(), values };
    return values;
  }

  async text<K extends TextSettingKey>(key: K, em?: EntityManager): Promise<string> {
    return (await this.texts(em))[key];
  }

  /** Change a wording setting: non-empty text within its length, its placeholders spelled as documented. */
  async setText(key: TextSettingKey, value: unknown, actorId: number): Promise<TextSettingValues> {
    const def = TEXT_SETTING_DEFINITIONS[key];
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text || text.length > def.maxLength)
      throw DomainException.validation(`${def.label}应为 1–${def.maxLength} 个字的文字`, [
        { field: 'value', messages: [`应为 1–${def.maxLength} 个字的文字`] },
      ]);
    const allowed: readonly string[] = def.placeholders;
    const unknown = [...text.matchAll(/\{([^{}]{1,20})\}/g)].map((m) => m[1]).filter((n) => !allowed.includes(n));
    if (unknown.length) {
      const hint = allowed.length ? `可用的占位符：${allowed.map((n) => `{${n}}`).join('、')}` : '此项不使用占位符';
      throw DomainException.validation(`${def.label}含有未知的占位符 ${unknown.map((n) => `{${n}}`).join('、')}（${hint}）`, [
        { field: 'value', messages: [hint] },
      ]);
    }
    await this.repo.upsert({ key, value: text, updatedBy: actorId }, ['key']);
    this.textCache = undefined;
    return this.texts();
  }

  async set(key: string, value: unknown, actorId: number): Promise<SettingValues> {
    if (Object.hasOwn(TEXT_SETTING_DEFINITIONS, key)) {
      await this.setText(key as TextSettingKey, value, actorId);
      return this.all();
    }
    // own keys only: `in` would take constructor, toString, __proto__… for settings and store them
    if (!Object.hasOwn(SETTING_DEFINITIONS, key)) throw DomainException.validation(`未知的设置项 ${key}`, [{ field: 'key', messages: ['未知的设置项'] }]);
    const def = SETTING_DEFINITIONS[key as SettingKey];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < def.min || value > def.max) {
      throw DomainException.validation(`${def.label}应为 ${def.min}–${def.max} 之间的整数`, [
        { field: 'value', messages: [`应为 ${def.min}–${def.max} 之间的整数`] },
      ]);
    }
    await this.repo.upsert({ key, value, updatedBy: actorId }, ['key']);
    this.cache = undefined;
    return this.all();
  }
}

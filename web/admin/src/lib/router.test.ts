import { describe, expect, it } from 'vitest';
import { parsePath, pathOf, sectionsFor } from './router';

describe('router', () => {
  it('gives each role its sections', () => {
    expect(sectionsFor('admin')).toHaveLength(9);
    expect(sectionsFor('supervisor')).toEqual(['monitor', 'reports']);
    expect(sectionsFor('operator')).toEqual([]);
  });
  it('reads sections and sub-paths', () => {
    expect(parsePath('/admin/operators', 'admin')).toEqual({ section: 'operators', sub: '' });
    expect(parsePath('/admin/contact-points/12', 'admin')).toEqual({ section: 'contact-points', sub: '12' });
    expect(parsePath('/admin/', 'admin')).toEqual({ section: 'monitor', sub: '' });
    expect(parsePath('/admin/nonsense', 'admin')).toEqual({ section: 'monitor', sub: '' });
  });
  it('keeps supervisors out of admin sections', () => {
    expect(parsePath('/admin/settings', 'supervisor')).toEqual({ section: 'monitor', sub: '' });
    expect(parsePath('/admin/reports', 'supervisor')).toEqual({ section: 'reports', sub: '' });
  });
  it('builds paths', () => {
    expect(pathOf({ section: 'reports', sub: '' })).toBe('/admin/reports');
    expect(pathOf({ section: 'contact-points', sub: '7' })).toBe('/admin/contact-points/7');
  });
});

#!/usr/bin/env python3
"""Writes the device kit's report (DIR/report.md and DIR/report.json) from what run.sh left in DIR:
info.log, conformance.rc and junit/*.xml (the JUnit console launcher's XML), bench/bench.json and
peers.json. Each part that is missing or failed is reported as such.

    python3 report.py --dir DIR [--commit HASH] [--seconds S]
"""
import argparse
import glob
import json
import os
import xml.etree.ElementTree as ET


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def part_rc(d, name):
    t = read(os.path.join(d, name + '.rc'))
    if not t:
        return None, None
    rc, secs = t.split()
    return int(rc), int(secs)


def conformance(d):
    rc, secs = part_rc(d, 'conformance')
    tests, failed, skipped = [], [], []
    for x in glob.glob(os.path.join(d, 'junit', '*.xml')):
        try:
            root = ET.parse(x).getroot()
        except ET.ParseError:
            continue
        for case in root.iter('testcase'):
            name = case.get('classname', '') + '.' + case.get('name', '')
            tests.append(name)
            if case.find('failure') is not None or case.find('error') is not None:
                el = case.find('failure') if case.find('failure') is not None else case.find('error')
                failed.append({'test': name, 'message': message(el)})
            elif case.find('skipped') is not None:
                skipped.append({'test': name, 'message': message(case.find('skipped'))})
    passed = len(tests) - len(failed) - len(skipped)
    if rc != 0 or failed or not tests:
        verdict = 'fail'
    elif passed == 0:
        verdict = 'not run (every GPU test skipped)'
    elif skipped:
        verdict = 'pass, with skipped tests'
    else:
        verdict = 'pass'
    return {'exit': rc, 'seconds': secs, 'tests': len(tests), 'failed': failed, 'skipped': skipped,
            'passed': passed, 'verdict': verdict}


def message(el):
    """The reason of a failure or skip: its message attribute, else the first line of its text."""
    m = el.get('message') or ''
    if not m and el.text:
        m = el.text.strip().splitlines()[0] if el.text.strip() else ''
    return m[:2000]


def bench(d):
    rc, secs = part_rc(d, 'bench')
    j = read(os.path.join(d, 'bench', 'bench.json'))
    rows = json.loads(j)['rows'] if j else []
    machine = json.loads(j).get('machine') if j else None
    return {'exit': rc, 'seconds': secs, 'machine': machine, 'rows': rows}


def peers(d):
    rc, secs = part_rc(d, 'peers')
    j = read(os.path.join(d, 'peers.json'))
    return {'exit': rc, 'seconds': secs, 'rows': json.loads(j) if j else []}


def ratios(b, p):
    """langevin's GPU rate over each peer's, same workload and particle count (langevin d = 1, sgd d = 8)."""
    out = []
    for pr in p['rows']:
        if pr.get('status') != 'ok':
            continue
        dyn, dim = ('langevin', 1) if pr['workload'] == 'langevin' else ('sgd', 8)
        for br in b['rows']:
            if br['backend'] == 'gpu' and br['dynamics'] == dyn and br['dim'] == dim and br['particles'] == pr['particles']:
                out.append({'workload': pr['workload'], 'particles': pr['particles'], 'peer': pr['peer'],
                            'langevin_gpu': br['median'], 'peer_rate': pr['particle_steps_per_second'],
                            'ratio': br['median'] / pr['particle_steps_per_second']})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--commit', default='unknown')
    ap.add_argument('--seconds', type=int, default=None)
    a = ap.parse_args()
    d = a.dir
    info = read(os.path.join(d, 'info.log')) or ''
    rep = {'commit': a.commit, 'seconds': a.seconds, 'info': info.strip().splitlines(),
           'conformance': conformance(d), 'bench': bench(d), 'peers': peers(d)}
    rep['ratios'] = ratios(rep['bench'], rep['peers'])
    with open(os.path.join(d, 'report.json'), 'w') as f:
        json.dump(rep, f, indent=1)
    c = rep['conformance']
    md = ['# langevin device kit report', '',
          'Commit %s; the kit ran for %s s.' % (a.commit, a.seconds), '', '## info', '', '```'] + rep['info'] + ['```', '',
          '## GPU conformance suite: %s' % c['verdict'].upper(), '',
          '%d tests: %d passed, %d failed, %d skipped (exit %s, %s s).' % (c['tests'], c['passed'], len(c['failed']),
                                                                       len(c['skipped']), c['exit'], c['seconds'])]
    for f in c['failed']:
        md.append('- FAILED %s: %s' % (f['test'], f['message'].replace('\n', ' ')))
    reasons = {}
    for s in c['skipped']:
        # "skipped GPU test 'NAME': REASON": grouped by the reason
        reasons.setdefault(s['message'].split("': ", 1)[-1][:240], []).append(s['test'])
    for why, names in reasons.items():
        md.append('- %d skipped (%s), e.g. %s' % (len(names), why or 'no reason given', names[0]))
    md += ['', '## bench (exit %s, %s s)' % (rep['bench']['exit'], rep['bench']['seconds']), '']
    if rep['bench']['machine']:
        md.append('Machine: %s' % json.dumps(rep['bench']['machine']))
        md.append('')
    md += ['| backend | dynamics | d | particles | M particle-steps/s (median) | slowest–fastest | × cpu | reliable |',
           '|---|---|---|---|---|---|---|---|']
    for r in rep['bench']['rows']:
        sp = r.get('speedupOverCpu')
        md.append('| %s | %s | %d | %d | %.1f | %.1f–%.1f | %s | %s |' % (
            r['backend'], r['dynamics'], r['dim'], r['particles'], r['median'] / 1e6, r['min'] / 1e6, r['max'] / 1e6,
            '%.2f' % sp if sp is not None else '—', r.get('reliable')))
    md += ['', '## peers on the same GPU (exit %s, %s s)' % (rep['peers']['exit'], rep['peers']['seconds']), '',
           '| peer | workload | particles | M particle-steps/s | status |', '|---|---|---|---|---|']
    for r in rep['peers']['rows']:
        rate = r.get('particle_steps_per_second')
        md.append('| %s | %s | %d | %s | %s |' % (r['peer'], r['workload'], r['particles'],
                                                  '%.1f' % (rate / 1e6) if rate else '—', r.get('status')))
    if rep['ratios']:
        md += ['', '## langevin on the GPU over each peer (same workload, particles, run)', '',
               '| workload | particles | peer | langevin gpu | peer | ratio |', '|---|---|---|---|---|---|']
        for r in rep['ratios']:
            md.append('| %s | %d | %s | %.1f M | %.1f M | %.2f× |' % (r['workload'], r['particles'], r['peer'],
                                                                    r['langevin_gpu'] / 1e6, r['peer_rate'] / 1e6, r['ratio']))
    with open(os.path.join(d, 'report.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    print('\n'.join(md[:12]))
    print('report: %s/report.md, %s/report.json' % (d, d))


if __name__ == '__main__':
    main()

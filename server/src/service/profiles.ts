/**
 * Applicability profiles: named sets of controls and items that do not apply to a kind of
 * organisational unit, each with its justification in both languages. `.x1051.yaml` selects one
 * with `profile:`; its own `applicability` and `notApplicable` entries override the profile's.
 *
 * Profiles are data: to add one, append an entry here (ids are checked against the catalogue by
 * `test/unit/applicability.test.ts`) and list it in README.md.
 */
import type { Text } from '../../../catalog/src/types';

export interface ApplicabilityProfile {
  /** The name written in `.x1051.yaml` (`profile: it-service`). */
  id: string;
  title: Text;
  /** Who the profile is for. */
  description: Text;
  /** Control or item ids (canonical) that do not apply, each with its justification. */
  notApplicable: Readonly<Record<string, Text>>;
}

const NO_FACILITIES: Text = {
  ja: '電気通信サービスを提供するための電気通信設備を運用していない。',
  en: 'The unit operates no telecommunication facilities used to provide telecommunication services.',
};
const NO_INTERCONNECTION: Text = {
  ja: '他の電気通信事業者の網と相互接続していない。',
  en: 'The unit has no interconnection with other telecommunication organizations’ networks.',
};
const NO_TELEPHONY: Text = {
  ja: '電話サービスを提供していない。',
  en: 'The unit provides no telephone services.',
};
const NO_CARRIAGE: Text = {
  ja: '利用者の通信を媒介しないため、優先して確保すべき重要通信がない。',
  en: 'The unit does not carry users’ communications, so it has no essential communications to give priority to.',
};

/** Every built-in profile. */
export const PROFILES: readonly ApplicabilityProfile[] = [
  {
    id: 'it-service',
    title: { ja: 'IT・SaaS 部門', en: 'IT or SaaS unit' },
    description: {
      ja: 'X.1051 を採用する電気通信事業者の IT 部門や SaaS 事業部門のうち、電気通信設備を運用せず、他事業者と相互接続せず、電話サービスを提供しないもの。',
      en: 'An IT or SaaS unit of a telecommunication organization adopting X.1051 that operates no telecommunication facilities, has no interconnection with other operators and provides no telephone services.',
    },
    notApplicable: {
      'TEL.11.1.7': NO_FACILITIES,
      'TEL.11.1.8': NO_FACILITIES,
      'TEL.11.1.9': NO_FACILITIES,
      'TEL.11.3.1': NO_FACILITIES,
      'TEL.11.3.2': NO_FACILITIES,
      'TEL.11.3.3': NO_INTERCONNECTION,
      'TEL.18.1.7': NO_CARRIAGE,
      'TEL.13.1.4[2](c)': NO_INTERCONNECTION,
      'TEL.13.1.4[2](d)': NO_CARRIAGE,
      'TEL.13.1.4[2](e)(4)': NO_TELEPHONY,
      'TEL.13.1.4[2](e)(5)': NO_TELEPHONY,
      'TEL.13.1.4[2](e)(6)': NO_TELEPHONY,
      'TEL.13.1.4[3](g)': NO_FACILITIES,
      'TEL.13.1.4[3](h)': NO_FACILITIES,
      'TEL.13.1.5(3)': NO_INTERCONNECTION,
      'TEL.13.1.5(4)': NO_INTERCONNECTION,
      'TEL.13.1.6[2](4)': NO_INTERCONNECTION,
      'TEL.13.1.6[2](5)': NO_INTERCONNECTION,
      'TEL.18.1.6[2](b)': NO_FACILITIES,
      'TEL.18.1.6[2](g)': NO_TELEPHONY,
      'TEL.18.1.6[2](h)': NO_TELEPHONY,
      'TEL.18.1.6[2](i)': NO_TELEPHONY,
    },
  },
];

/** The profile with this name, or undefined. */
export function profileById(id: string): ApplicabilityProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}

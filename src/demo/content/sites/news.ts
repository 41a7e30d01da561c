// Copy for the demo news site: an English-language international paper based in Japan. Roughly half its
// stories arrive from invented agencies, so the site shows datelines, agency copyright lines and agency-style
// captions. Places are real, but every event, company, team and person is invented, and the stories are
// kept deliberately uncontroversial (weather, openings, trade, sport) so nothing reads like real news.

import type { SiteSpec, StoryKind } from '../assemble.ts';
import { type NameRegion, personName, shortName } from '../people.ts';
import type { Rng } from '../prng.ts';
import { numberWord, withCommas } from '../template.ts';

const WEEKDAY = '[Monday|Tuesday|Wednesday|Thursday|Friday]';
const WEEKEND = '[Saturday|Sunday]';

interface Capital {
  city: string;
  country: string;
  region: NameRegion;
}

const CAPITALS: readonly Capital[] = [
  { city: 'Moscow', country: 'Russia', region: 'slavic' },
  { city: 'Dushanbe', country: 'Tajikistan', region: 'central-asia' },
  { city: 'Geneva', country: 'Switzerland', region: 'west-europe' },
  { city: 'Nairobi', country: 'Kenya', region: 'east-africa' },
  { city: 'Lima', country: 'Peru', region: 'latam' },
  { city: 'Oslo', country: 'Norway', region: 'nordic' },
  { city: 'Hanoi', country: 'Vietnam', region: 'vietnam' },
  { city: 'Accra', country: 'Ghana', region: 'west-africa' },
  { city: 'Montevideo', country: 'Uruguay', region: 'latam' },
  { city: 'Ulaanbaatar', country: 'Mongolia', region: 'mongolia' },
  { city: 'Tbilisi', country: 'Georgia', region: 'caucasus' },
  { city: 'Lisbon', country: 'Portugal', region: 'iberia' },
  { city: 'Jakarta', country: 'Indonesia', region: 'indonesia' },
  { city: 'Almaty', country: 'Kazakhstan', region: 'central-asia' },
  { city: 'Reykjavik', country: 'Iceland', region: 'nordic' },
  { city: 'Wellington', country: 'New Zealand', region: 'en' },
];

const JAPAN_CITIES = [
  'Sapporo',
  'Sendai',
  'Kanazawa',
  'Matsumoto',
  'Kobe',
  'Hiroshima',
  'Kochi',
  'Nagasaki',
  'Kagoshima',
  'Niigata',
  'Takamatsu',
  'Aomori',
  'Toyama',
  'Morioka',
  'Okayama',
  'Shizuoka',
] as const;

const PREFECTURES = [
  { pref: 'Akita', capital: 'Akita' },
  { pref: 'Iwate', capital: 'Morioka' },
  { pref: 'Tottori', capital: 'Tottori' },
  { pref: 'Shimane', capital: 'Matsue' },
  { pref: 'Kochi', capital: 'Kochi' },
  { pref: 'Nagano', capital: 'Nagano' },
  { pref: 'Yamagata', capital: 'Yamagata' },
  { pref: 'Tokushima', capital: 'Tokushima' },
  { pref: 'Ehime', capital: 'Matsuyama' },
  { pref: 'Gifu', capital: 'Gifu' },
  { pref: 'Wakayama', capital: 'Wakayama' },
  { pref: 'Miyazaki', capital: 'Miyazaki' },
] as const;

/** A capital plus a named local, flattened into facts. */
function capitalFacts(rng: Rng, extra: Record<string, string> = {}): Record<string, string> {
  const c = rng.pick(CAPITALS);
  return { city: c.city, country: c.country, region: c.region, ...extra };
}

/** `name` and `nameShort` facts for one invented person. */
function person(rng: Rng, region: NameRegion, key: string): Record<string, string> {
  const name = personName(rng, region);
  return { [key]: name, [`${key}Short`]: shortName(name) };
}

const COMMON_ART = { palettes: ['slate', 'ocean', 'night', 'teal', 'dawn'] } as const;

// ---------------------------------------------------------------------------------------------- world

const TALK_TOPICS = [
  { topic: 'cross-border water sharing', short: 'water sharing', gear: 'river gauges' },
  { topic: 'glacier monitoring', short: 'glacier monitoring', gear: 'high-altitude weather stations' },
  { topic: 'protecting migratory birds', short: 'bird protection', gear: 'wetland surveys' },
  { topic: 'fishing quotas in shared waters', short: 'fishing quotas', gear: 'vessel tracking' },
  { topic: 'a regional rail freight corridor', short: 'rail freight', gear: 'border inspection yards' },
  { topic: 'flood early-warning systems', short: 'flood warnings', gear: 'rain gauges and sirens' },
  { topic: 'clearing plastic from rivers', short: 'river plastic', gear: 'floating barriers' },
  { topic: 'sharing seed bank collections', short: 'seed banks', gear: 'cold-storage vaults' },
  { topic: 'pooling wildfire crews', short: 'wildfire response', gear: 'firefighting aircraft' },
  { topic: 'air-quality monitoring', short: 'air quality', gear: 'roadside sensors' },
];

const worldTalks: StoryKind = {
  id: 'world-talks',
  section: 'world',
  facts(rng) {
    const t = rng.pick(TALK_TOPICS);
    const f = capitalFacts(rng, { topic: t.topic, short: t.short, gear: t.gear });
    const n = rng.int(4, 14);
    return {
      ...f,
      n: String(n),
      nWord: numberWord(n),
      ...person(rng, f.region as NameRegion, 'official'),
      ...person(rng, 'en', 'analyst'),
      officialRole: rng.pick([
        'a senior adviser to the host delegation',
        'who chairs the technical working group',
        'an adviser to one of the visiting delegations',
        'the meeting\u2019s lead coordinator',
      ]),
    };
  },
  identity: ['city', 'topic'],
  headline: [
    'Delegates from {n} countries meet in {city} on {topic}',
    '{City} talks on {short} end with pledge to share data',
    'Envoys gather in {city} to revive plan on {short}',
  ],
  dek: [
    'Officials said a working group would report back within [six months|a year], though funding remains an open question.',
    'Technical experts sat alongside diplomats, a sign the talks have moved from principles to details.',
  ],
  lede: [
    `Delegations from {nWord} countries opened [two|three] days of talks in {city} on {topic} on ${WEEKDAY}, with organisers saying they hoped to agree on a common set of rules before the end of the year.`,
    'Officials from {nWord} countries gathered in {city} this week to try to settle long-running differences over {topic}, a subject that has grown in importance for the region over the past decade.',
  ],
  body: [
    'The meeting, hosted by {country}, brought technical experts to the table alongside diplomats, a sign that the discussions have moved from broad principles to the practical question of who installs, maintains and pays for {gear}.',
    "'Nobody here expects a breakthrough in a single week,' said {official}, {officialRole}. 'But every delegation has brought engineers, not just speechwriters, and that changes the tone of the room.'",
    'Earlier rounds stalled over how costs would be divided and who would own the data the equipment produced. Several delegates said a compromise under which costs are shared according to the size of each economy was now being discussed.',
    'Observers from [universities|environmental groups|industry associations] were admitted to the opening session for the first time, and some presented findings from pilot projects carried out over the past year.',
    "{Analyst}, a researcher who has followed the talks for several years, said the mood was noticeably better than at previous meetings. 'People are arguing about spreadsheets rather than principles, and believe it or not, that is good news,' {analystShort} said.",
    'A draft statement circulated among delegations called for a small permanent secretariat but left open where it would be based, with at least [two|three] cities said to be interested.',
  ],
  quote: ["'Every delegation has brought engineers, not just speechwriters.' -- {official}"],
  closing: [
    'The delegations are expected to meet again [in the spring|in the autumn|early next year], when a final text could be put to national governments for approval.',
    'Organisers said a summary of the talks would be published in the coming weeks.',
  ],
  photo: [
    'Delegates take their seats before a session on {short} in {city}, {country}',
    'A delegate arrives for talks on {topic} in {city}, {country}',
  ],
  art: { scenes: ['skyline', 'orbs', 'ridges'], ...COMMON_ART, word: '{city}' },
  wire: { chance: 0.9, dateline: '{city}', handout: 'Conference Press Office' },
};

const WEATHER = [
  {
    what: 'an early snowfall',
    head: 'early snow',
    noun: 'heavy snow',
    impact: 'delayed flights and closed several mountain roads',
    advice: 'stay off untreated pavements where possible',
  },
  {
    what: 'a late-season heatwave',
    head: 'late heatwave',
    noun: 'unseasonable heat',
    impact: 'pushed electricity demand to a record for the month',
    advice: 'check on elderly neighbours and drink water regularly',
  },
  {
    what: 'record spring rainfall',
    head: 'heavy rain',
    noun: 'heavy rain',
    impact: 'flooded underpasses and suspended some suburban trains',
    advice: 'avoid low-lying riverside roads',
  },
  {
    what: 'thick winter fog',
    head: 'thick fog',
    noun: 'dense fog',
    impact: 'grounded morning flights and slowed ferry services',
    advice: 'allow extra time for journeys',
  },
  {
    what: 'strong autumn winds',
    head: 'strong winds',
    noun: 'gale-force winds',
    impact: 'brought down trees and cut power to several districts',
    advice: 'secure loose objects on balconies',
  },
];

const worldWeather: StoryKind = {
  id: 'world-weather',
  section: 'world',
  facts(rng) {
    const w = rng.pick(WEATHER);
    const f = capitalFacts(rng, { ...w, days: rng.pick(['two', 'three', 'four']) });
    return {
      ...f,
      ...person(rng, f.region as NameRegion, 'forecaster'),
      ...person(rng, f.region as NameRegion, 'resident'),
      residentJob: rng.pick([
        'a bakery owner',
        'a taxi driver',
        'a schoolteacher',
        'a delivery rider',
        'a market trader',
      ]),
    };
  },
  identity: ['city', 'what'],
  headline: [
    '{Head} disrupts travel in {city}',
    '{City} braces for {what}',
    'Forecasters warn of {days} more days of {noun} in {city}',
  ],
  dek: [
    'Transport operators added extra staff as the national weather service kept its warning in place.',
    'Authorities urged residents to {advice} until conditions improve.',
  ],
  lede: [
    `{What} {impact} in {city} on ${WEEKDAY}, and the national weather service said conditions were likely to persist for at least {days} more days.`,
  ],
  body: [
    "'We have seen events like this before, but rarely this [early|late] in the season,' said {forecaster}, a forecaster with the national weather service, adding that [the pattern|a slow-moving weather system] was expected to ease gradually.",
    'City officials urged residents to {advice} and said emergency crews had been placed on standby in the districts most exposed to {noun}.',
    "{Resident}, {residentJob}, said the disruption had become part of the rhythm of the week. 'You adjust,' {residentShort} said. 'You leave earlier, you call ahead, you help the neighbours.'",
    'Transport operators said most services were running, though with delays, and advised travellers to check timetables before setting out.',
    'Meteorologists said the episode fitted a pattern of more frequent unseasonal weather in the region, though they cautioned that a single event could not be read as a trend on its own.',
  ],
  quote: ["'You leave earlier, you call ahead, you help the neighbours.' -- {resident}, {residentJob}"],
  closing: [
    'The weather service said it would update its warning [on Wednesday|on Friday|later in the week].',
    'Schools remained open, although several said outdoor activities would be moved indoors until conditions improved.',
  ],
  photo: [
    'A commuter makes their way through {noun} in {city}, {country}',
    'Vehicles move slowly along a main road during {noun} in {city}, {country}',
  ],
  art: {
    scenes: ['ridges', 'skyline', 'harbour'],
    palettes: ['slate', 'night', 'ocean', 'dawn'],
    word: '{city}',
  },
  wire: { chance: 0.85, dateline: '{city}', handout: 'National Weather Service' },
};

const PROJECTS = [
  {
    thing: 'a new tram line',
    short: 'tram line',
    opening:
      'The first trams left the depot shortly after dawn, and by mid-morning carriages were full of residents riding the route simply to see it.',
    detail:
      'Trams will run every six minutes at peak times, and the line connects two large housing districts with the city centre for the first time.',
  },
  {
    thing: 'a rebuilt river bridge',
    short: 'river bridge',
    opening:
      'Hundreds of people walked across the bridge within the first hour, many stopping to take photographs of the river below.',
    detail:
      'The new bridge has a wide, protected cycle lane and footpaths on both sides, replacing a narrow crossing that had been closed to heavy vehicles for years.',
  },
  {
    thing: 'a hillside solar park',
    short: 'solar park',
    opening:
      'Officials led a small group of residents and schoolchildren along a walking trail that winds between the rows of panels.',
    detail:
      'The park is expected to supply much of the power used by the city\u2019s street lighting and public buildings during daylight hours.',
  },
  {
    thing: 'a public library with a rooftop garden',
    short: 'library',
    opening:
      'Queues formed outside before the doors opened, and the children\u2019s floor was full within minutes.',
    detail:
      'The building has study rooms that can be booked free of charge, a workshop with sewing machines and 3D printers, and a garden on the roof that is open until sunset.',
  },
  {
    thing: 'a cable car linking hillside districts to the centre',
    short: 'cable car',
    opening:
      'Residents from the hillside neighbourhoods were invited to take the first rides, and many described a journey that used to take forty minutes being cut to ten.',
    detail: 'Cabins leave every minute at busy times, and fares are the same as on the city\u2019s buses.',
  },
  {
    thing: 'a covered market hall',
    short: 'market hall',
    opening:
      'Stallholders who had traded for years under tarpaulins in a car park moved into the new hall over the weekend, and trade was brisk from the first morning.',
    detail:
      'The hall has space for more than a hundred traders, cold storage for fresh produce and a food court on the upper floor.',
  },
];

const worldOpening: StoryKind = {
  id: 'world-opening',
  section: 'world',
  facts(rng) {
    const p = rng.pick(PROJECTS);
    const f = capitalFacts(rng, { ...p, years: rng.pick(['three', 'four', 'five', 'six']) });
    return {
      ...f,
      ...person(rng, f.region as NameRegion, 'official'),
      ...person(rng, f.region as NameRegion, 'resident'),
      officialRole: rng.pick([
        'the deputy mayor responsible for infrastructure',
        'the project\u2019s chief engineer',
        'head of the city\u2019s planning office',
      ]),
    };
  },
  identity: ['city', 'short'],
  headline: [
    '{City} opens {thing} after {years} years of work',
    'Crowds turn out as {city} opens {thing}',
    "{City}'s long-awaited {short} opens to the public",
  ],
  dek: [
    'Supporters say the project will change daily life in the city; critics point to its cost and delays.',
    'The project ran over schedule, but officials said it came in close to its revised budget.',
  ],
  lede: [
    `{City} opened {thing} on ${WEEKEND} after {years} years of planning and construction, with officials promising that it would make daily life easier for tens of thousands of residents.`,
  ],
  body: [
    '{Opening}',
    '{Detail}',
    "'It took longer than any of us wanted, and I won't pretend otherwise,' said {official}, {officialRole}. 'But it was built to last for decades, not for a ribbon-cutting.'",
    'The project was not without critics. Some residents complained about years of noise and diverted traffic, and an opposition group in the city council has questioned whether the final bill was good value.',
    'Engineers said the final months had been spent on safety testing, with [trial runs|inspections] carried out at night to avoid disturbing nearby residents.',
    "{Resident}, who lives nearby, said they had watched the construction from their window for years. 'Now I want to see whether it changes the neighbourhood,' {residentShort} said.",
  ],
  quote: ["'It was built to last for decades, not for a ribbon-cutting.' -- {official}"],
  closing: [
    "City officials said a review of the project's first year would be published [next spring|after twelve months of operation].",
  ],
  photo: [
    'People walk past the newly opened {short} in {city}, {country}',
    'Visitors look around on the opening day of the {short} in {city}, {country}',
  ],
  art: { scenes: ['skyline', 'ridges', 'harbour'], ...COMMON_ART, word: '{city}' },
  wire: { chance: 0.8, dateline: '{city}', handout: 'City Press Office' },
};

const FINDS = [
  {
    find: 'a Bronze Age granary',
    detail: 'Charred grain found in storage pits could allow the site to be dated with unusual precision',
  },
  {
    find: 'the remains of a merchant ship',
    detail: 'Timbers preserved in waterlogged mud still carry tool marks left by the shipwrights',
  },
  {
    find: 'a mosaic floor',
    detail:
      'The floor shows geometric patterns and a border of birds and vines, with some sections almost intact',
  },
  {
    find: 'a cache of inscribed clay tablets',
    detail: 'Early readings suggest the tablets record deliveries of grain, wool and oil',
  },
  {
    find: 'a medieval water mill',
    detail: 'The mill race and parts of the wooden wheel housing survived under layers of river silt',
  },
  {
    find: 'a workshop for making glass beads',
    detail: 'Thousands of beads in several colours were found alongside the remains of small furnaces',
  },
];

const worldDiscovery: StoryKind = {
  id: 'world-discovery',
  section: 'world',
  facts(rng) {
    const f = capitalFacts(rng, rng.pick(FINDS));
    return { ...f, ...person(rng, f.region as NameRegion, 'lead') };
  },
  identity: ['city', 'find'],
  headline: [
    'Archaeologists near {city} uncover {find}',
    '{Find} found near {city} surprises researchers',
    'Road works outside {city} reveal {find}',
  ],
  dek: [
    'Researchers say the discovery could change what is known about daily life in the area.',
    'The site will be covered over for the winter while samples are analysed.',
  ],
  lede: [
    'Archaeologists working [ahead of a road project|on farmland|beside a river terrace] outside {city} have uncovered {find}, a discovery they say could change what is known about [early trade|daily life|settlement] in the area.',
  ],
  body: [
    '{Detail}, the team said.',
    "'We expected a few fragments. Instead we found something that was clearly organised and used for generations,' said {lead}, who leads the excavation.",
    'The team has recorded each layer with photographs and 3D scans before lifting anything, a slower approach that the researchers say preserves information earlier digs often lost.',
    'Samples have been sent for dating, with results expected within [a few months|the year].',
    'Local officials said they were considering a small visitor centre once the excavation is complete.',
  ],
  quote: [
    "'We expected a few fragments. Instead we found something organised and used for generations.' -- {lead}",
  ],
  closing: [
    'The excavation is due to resume [in the spring|next season], when the team plans to extend its trenches.',
  ],
  photo: [
    'Archaeologists work at an excavation site outside {city}, {country}',
    'A researcher cleans a find at a dig near {city}, {country}',
  ],
  art: { scenes: ['ridges', 'orbs'], palettes: ['sand', 'dawn', 'forest'], word: '{city}' },
  wire: { chance: 0.7, dateline: '{city}', handout: 'Excavation Team' },
};

// ---------------------------------------------------------------------------------------------- japan

const SERVICES = [
  {
    service: 'on-demand minibuses',
    detail:
      'Riders book a seat by app or by phone, and the route is recalculated every few minutes to collect them.',
  },
  {
    service: 'shared cargo bikes',
    detail:
      'The bikes can be unlocked with a transport card and returned to any of the docks near shopping streets.',
  },
  {
    service: 'late-night opening at public libraries',
    detail: 'Branches will stay open until 10 p.m. on weekdays, staffed partly by volunteers.',
  },
  {
    service: 'multilingual help desks at main stations',
    detail: 'Staff will be able to help in at least five languages, with tablet translation for others.',
  },
  {
    service: 'self-driving shuttle buses',
    detail: 'A safety operator will ride on every trip during the trial, ready to take over if needed.',
  },
  {
    service: 'doorstep collection of bulky waste',
    detail: 'Residents can book a pickup online and pay a flat fee per item.',
  },
];

const japanTrial: StoryKind = {
  id: 'japan-trial',
  section: 'japan',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      ...rng.pick(SERVICES),
      months: rng.pick(['six', 'nine', 'twelve']),
      ...person(rng, 'jp', 'official'),
      ...person(rng, 'jp', 'resident'),
      age: String(rng.int(68, 84)),
      region: 'jp',
    };
  },
  identity: ['city', 'service'],
  headline: [
    '{City} begins {months}-month trial of {service}',
    'Residents in {city} try out {service}',
    '{City} tests {service} to keep neighbourhoods connected',
  ],
  dek: [
    'City officials want to know whether the service can pay its way before expanding it.',
    'If the trial goes well, the service could be extended across the city next year.',
  ],
  lede: [
    '{City} has begun a {months}-month trial of {service}, as the city looks for ways to serve an ageing population and keep outlying neighbourhoods connected.',
  ],
  body: [
    '{Detail}',
    "'We are not trying to build something perfect on day one,' said {official}, a city official overseeing the trial. 'We want to learn what people actually use, and then decide.'",
    'The city has set aside a modest budget for the trial and will publish monthly figures on how often the service is used and by whom.',
    "{Resident}, {age}, was among the first to sign up. 'My children worry about me getting around. This gives me one less thing to argue with them about,' {residentShort} said.",
    'Similar schemes in other cities have had mixed results, with some struggling to attract enough users outside peak hours.',
  ],
  closing: ['City officials said they would decide whether to continue the service once the trial ends.'],
  photo: [
    'Residents try out {service} during the first week of a trial in {city}, Japan',
    'A city employee explains {service} to residents in {city}, Japan',
  ],
  art: { scenes: ['skyline', 'orbs'], ...COMMON_ART, word: '{city}' },
  wire: { chance: 0.3, dateline: '{city}' },
};

const SCHOOL_USES = [
  'a sake brewery',
  'a satellite office for tech firms',
  'a museum of local crafts',
  'a hostel for cyclists',
  'a community kitchen and cafe',
  'a rehearsal space for musicians',
  'an indoor farm growing herbs',
];

const japanSchool: StoryKind = {
  id: 'japan-school',
  section: 'japan',
  facts(rng) {
    return {
      ...rng.pick(PREFECTURES),
      use: rng.pick(SCHOOL_USES),
      ...person(rng, 'jp', 'founder'),
      ...person(rng, 'jp', 'neighbour'),
      region: 'jp',
    };
  },
  identity: ['pref', 'use'],
  headline: [
    'Closed school in rural {pref} reborn as {use}',
    'A village in {pref} turns its empty school into {use}',
    'In {pref}, an old classroom block finds new life as {use}',
  ],
  dek: [
    'Residents feared the building would be left to decay. Instead it has become the busiest place in the village.',
    'The project is one of many across Japan trying to find new uses for schools closed by population decline.',
  ],
  lede: [
    'When the last pupils left the elementary school in a small village in {pref} Prefecture [five|seven|ten] years ago, residents feared the building would simply be left to decay. This month it reopened as {use}.',
  ],
  body: [
    "The project was led by {founder}, who grew up in the village and returned after [a decade|many years] working in [Osaka|Tokyo|Nagoya]. 'The building was the heart of the village. Leaving it empty felt like giving up,' {founderShort} said.",
    'Much of the original building has been kept, including the wooden floors, the shoe lockers by the entrance and the clock above the gymnasium stage.',
    'The renovation was paid for with a mix of local government grants, crowdfunding and a loan from a regional bank.',
    'Across Japan, thousands of schools have closed in recent decades as rural populations have shrunk, and many local governments are looking for new uses for the buildings.',
    "Older residents drop by most days, and some help out as volunteers. 'It is noisy again. That is what we missed,' said {neighbour}, who lives across the road.",
  ],
  quote: ["'It is noisy again. That is what we missed.' -- {neighbour}"],
  closing: [
    'The team hopes the project will draw younger people to the village, and has already had enquiries from families thinking of moving.',
  ],
  photo: ['The former school building, now {use}, in a village in {pref} Prefecture, Japan'],
  art: { scenes: ['ridges', 'bloom'], palettes: ['forest', 'teal', 'dawn'], word: '{pref}' },
  wire: { chance: 0.2, dateline: '{capital}' },
};

const japanFestival: StoryKind = {
  id: 'japan-festival',
  section: 'japan',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      festival: rng.pick([
        'lantern festival',
        'autumn harvest festival',
        'summer fireworks display',
        'snow sculpture festival',
        'port festival',
        'street dance festival',
      ]),
      twist: rng.pick([
        'a zero-waste pledge',
        'a record number of volunteers',
        'late-night shuttle buses',
        'a new route along the river',
        'stalls run by high school students',
        'a quiet hour for families with young children',
      ]),
      ...person(rng, 'jp', 'organiser'),
      ...person(rng, 'jp', 'visitor'),
      region: 'jp',
    };
  },
  identity: ['city', 'festival'],
  headline: [
    "{City}'s {festival} returns with {twist}",
    'Thousands flock to {city} {festival}',
    '{City} {festival} tries something new: {twist}',
  ],
  dek: [
    'Organisers say the change came from residents, who love the event but wanted it to be easier on the neighbourhood.',
    'Hotels and restaurants reported one of their busiest weekends of the year.',
  ],
  lede: [
    "Thousands of visitors filled the streets of {city} over the weekend for the city's {festival}, which this year introduced {twist}.",
  ],
  body: [
    'Organisers said the change was a response to feedback from residents, who have long welcomed the festival but asked for it to be [quieter|cleaner|easier to get around].',
    "'We want visitors to leave with good memories and the neighbourhood to wake up the next morning as if nothing happened,' said {organiser}, who chairs the organising committee.",
    'Local businesses reported brisk trade, with some restaurants extending their opening hours and several [guesthouses|hotels] fully booked weeks in advance.',
    'Volunteers in matching jackets directed visitors at busy junctions, while city staff monitored crowd numbers at the main entrances.',
    'For many families the festival is an annual ritual. {Visitor}, visiting from a neighbouring prefecture with two young children, said it was their fourth year in a row.',
  ],
  closing: ['Organisers said they would review the changes and publish attendance figures later this month.'],
  photo: [
    'Visitors walk through the {festival} in {city}, Japan',
    'Crowds gather on the opening night of the {festival} in {city}, Japan',
  ],
  art: { scenes: ['skyline', 'orbs', 'bloom'], palettes: ['night', 'dawn', 'plum', 'rose'], word: '{city}' },
  wire: { chance: 0.25, dateline: '{city}' },
};

const INCENTIVES = [
  { incentive: 'rent-free homes for up to three years', short: 'rent-free homes' },
  { incentive: 'free childcare places', short: 'free childcare' },
  { incentive: 'grants to renovate vacant houses', short: 'renovation grants' },
  { incentive: 'subsidised commuter passes', short: 'cheaper commutes' },
  { incentive: 'low-cost building plots for first-time buyers', short: 'cheap building plots' },
];

const japanHousing: StoryKind = {
  id: 'japan-housing',
  section: 'japan',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      ...rng.pick(INCENTIVES),
      households: String(rng.int(4, 16) * 5),
      ...person(rng, 'jp', 'official'),
      ...person(rng, 'jp', 'resident'),
      region: 'jp',
    };
  },
  identity: ['city'],
  headline: [
    '{City} offers {incentive} to draw young families',
    '{City} bets on {short} to slow population decline',
    'Can {short} bring young families to {city}?',
  ],
  dek: [
    'The scheme is the latest in a series of local efforts to attract residents from the big cities.',
    'Officials admit money alone will not persuade families to move, but hope it tips the balance.',
  ],
  lede: [
    '{City} will offer {incentive} to households with children who move to the city from elsewhere, the latest in a series of local efforts to slow population decline.',
  ],
  body: [
    'The scheme, approved by the city assembly this month, is aimed mainly at families in large metropolitan areas who might be open to [remote work|a quieter life|a shorter commute].',
    "'Money alone does not persuade anyone to move. But it can tip a decision that people were already thinking about,' said {official}, an official in the city's planning department.",
    'Similar programmes elsewhere have drawn a steady, if modest, stream of new residents, though researchers say keeping them is often harder than attracting them.',
    '{Resident}, who moved to {city} from Tokyo [two|three] years ago with a partner and two children, said the welcome from neighbours had mattered more than any subsidy.',
    'The city is also working with local employers to advertise jobs to people considering a move, and has opened a consultation desk for would-be residents.',
  ],
  closing: [
    'Applications open [next month|in April], and the city expects to accept around {households} households in the first year.',
  ],
  photo: ['A residential street in {city}, Japan', 'Children walk home from school in {city}, Japan'],
  art: { scenes: ['ridges', 'skyline', 'bloom'], palettes: ['teal', 'forest', 'dawn'], word: '{city}' },
  wire: { chance: 0.3, dateline: '{city}' },
};

// ---------------------------------------------------------------------------------------------- business

const COMPANIES = [
  {
    company: 'Kestrel Logistics',
    industry: 'logistics group',
    driver: 'strong parcel volumes',
    headwind: 'fuel costs bite',
    headwindNoun: 'higher fuel costs',
    target: 'a Dutch cold-storage operator',
  },
  {
    company: 'Aomi Electric',
    industry: 'electronics maker',
    driver: 'demand for power chips',
    headwind: 'smartphone demand cools',
    headwindNoun: 'weaker smartphone demand',
    target: 'a Malaysian sensor manufacturer',
  },
  {
    company: 'Nishikaze Foods',
    industry: 'food company',
    driver: 'frozen meal sales',
    headwind: 'rice prices climb',
    headwindNoun: 'higher rice prices',
    target: 'a Canadian snack brand',
  },
  {
    company: 'Tidewater Shipping',
    industry: 'shipping line',
    driver: 'firm container rates',
    headwind: 'freight rates slide',
    headwindNoun: 'softer freight rates',
    target: 'a Norwegian ferry operator',
  },
  {
    company: 'Sorano Robotics',
    industry: 'robot maker',
    driver: 'orders from carmakers',
    headwind: 'factory investment stalls',
    headwindNoun: 'delayed factory investment',
    target: 'a German gripper specialist',
  },
  {
    company: 'Harbor & Pine Holdings',
    industry: 'property developer',
    driver: 'strong office leasing',
    headwind: 'construction costs rise',
    headwindNoun: 'rising construction costs',
    target: 'an Australian build-to-rent developer',
  },
  {
    company: 'Tsubame Cycle Works',
    industry: 'bicycle maker',
    driver: 'e-bike exports',
    headwind: 'overseas inventories pile up',
    headwindNoun: 'high dealer inventories overseas',
    target: 'a Danish cargo-bike brand',
  },
  {
    company: 'Ginkgo Pay',
    industry: 'payments company',
    driver: 'growth in cashless spending',
    headwind: 'competition squeezes fees',
    headwindNoun: 'pressure on merchant fees',
    target: 'a Thai payments start-up',
  },
  {
    company: 'Mikan Rail Systems',
    industry: 'rail equipment maker',
    driver: 'overseas signalling contracts',
    headwind: 'project delays mount',
    headwindNoun: 'delays on overseas projects',
    target: 'a Polish train-maintenance firm',
  },
  {
    company: 'Hoshizora Cosmetics',
    industry: 'cosmetics maker',
    driver: 'strong sales to overseas visitors',
    headwind: 'tourist spending slows',
    headwindNoun: 'slower tourist spending',
    target: 'a French skincare label',
  },
];

function companyFacts(rng: Rng): Record<string, string> {
  return {
    ...rng.pick(COMPANIES),
    pct: String(rng.int(4, 28)),
    ...person(rng, 'jp', 'exec'),
    ...person(rng, 'jp', 'analyst'),
    region: 'jp',
  };
}

const BUSINESS_ART = {
  scenes: ['chart', 'skyline'],
  palettes: ['slate', 'night', 'ocean', 'sand'],
  word: null,
} as const;

const bizForecastUp: StoryKind = {
  id: 'biz-forecast-up',
  group: 'biz-company',
  section: 'business',
  facts: companyFacts,
  identity: ['company'],
  headline: [
    '{Company} lifts full-year profit forecast on {driver}',
    '{Company} raises outlook, citing {driver}',
    '{Company} quarterly profit jumps {pct}%, beating forecasts',
  ],
  dek: [
    'The {industry} said it expects the trend to hold for the rest of the financial year.',
    'Shares rose in early trading after the announcement.',
  ],
  lede: [
    `{Company}, the {industry}, raised its full-year profit forecast on ${WEEKDAY} after operating profit rose {pct}% in the latest quarter, helped by {driver}.`,
  ],
  body: [
    'The company now expects net profit for the year to March to come in well ahead of its previous guidance, though it kept its dividend plan unchanged.',
    "'We are seeing demand that is broader than we expected at the start of the year,' {exec}, the company's chief financial officer, told an earnings briefing. 'We are cautious, but we are not going to pretend the numbers are not good.'",
    "Analysts had expected a more modest improvement. {Analyst}, an analyst at a Tokyo brokerage, said the results showed the company's cost-cutting of recent years was starting to pay off.",
    'A weaker yen also flattered the figures, the company said, adding that it had assumed a stable exchange rate for the rest of the year.',
    'The company said it would use part of the extra cash to invest in [automation|new capacity|research] and to pay down debt.',
  ],
  closing: [
    'Shares of {company} [rose|climbed|gained] in early trading in Tokyo after the announcement.',
    'The company will report full-year results in May.',
  ],
  photo: [
    'The logo of {company} at its headquarters in Tokyo, Japan',
    'The {company} headquarters in Tokyo, Japan',
  ],
  art: BUSINESS_ART,
  wire: { chance: 0.6, dateline: 'Tokyo' },
};

const bizForecastDown: StoryKind = {
  ...bizForecastUp,
  id: 'biz-forecast-down',
  headline: [
    '{Company} trims outlook as {headwind}',
    '{Company} cuts profit forecast, citing {headwindNoun}',
    '{Company} quarterly profit falls {pct}% on {headwindNoun}',
  ],
  dek: [
    'The {industry} said it still expects to stay profitable for the year.',
    'Shares fell in early trading after the announcement.',
  ],
  lede: [
    `{Company}, the {industry}, cut its full-year profit forecast on ${WEEKDAY} after operating profit fell {pct}% in the latest quarter, citing {headwindNoun}.`,
  ],
  body: [
    'The company said it still expected to stay profitable for the year and would maintain its dividend.',
    "'This is a difficult stretch, and we are not going to pretend otherwise,' {exec}, the company's chief financial officer, told an earnings briefing. 'But the underlying business is sound.'",
    'Analysts said the revision had been partly expected. {Analyst}, an analyst at a Tokyo brokerage, said investors would look for signs that the company could protect its margins.',
    'The company said it would review spending plans and delay some investments until conditions became clearer.',
    'It also said it would step up efforts to pass higher costs on to customers, though it acknowledged that competition made this difficult.',
  ],
  closing: [
    'Shares of {company} [fell|slipped|dropped] in early trading in Tokyo after the announcement.',
    'The company will report full-year results in May.',
  ],
};

const bizDeal: StoryKind = {
  id: 'biz-deal',
  section: 'business',
  facts(rng) {
    return { ...companyFacts(rng), amount: String(rng.int(18, 240)) };
  },
  identity: ['company', 'target'],
  headline: [
    '{Company} to buy {target} for ¥{amount} billion',
    '{Company} agrees deal for {target}',
    '{Company} expands overseas with purchase of {target}',
  ],
  dek: [
    "The deal is the company's largest overseas acquisition to date.",
    'The company said the purchase would give it a foothold in a fast-growing market.',
  ],
  lede: [
    `{Company} said on ${WEEKDAY} it had agreed to buy {target} for about ¥{amount} billion, as the {industry} looks abroad for growth with demand at home levelling off.`,
  ],
  body: [
    'The deal, which requires regulatory approval, is expected to close [by the end of the year|early next year|within six months].',
    "'This gives us people and know-how we could not have built ourselves in less than a decade,' {exec}, the company's president, told reporters.",
    "The company said it would keep the target's management team and brand, and had no plans to cut jobs.",
    'Japanese companies have been stepping up overseas acquisitions as they look for growth beyond a shrinking domestic market.',
    '{Analyst}, an analyst at a Tokyo brokerage, said the price looked reasonable but that integrating a foreign business would be the real test.',
  ],
  closing: ['Shares of {company} [were little changed|rose slightly|edged lower] after the announcement.'],
  photo: ['The logo of {company} at its headquarters in Tokyo, Japan'],
  art: BUSINESS_ART,
  wire: { chance: 0.6, dateline: 'Tokyo' },
};

const MARKET_MOVES = [
  { moveHead: 'edge higher', movePast: 'edged higher' },
  { moveHead: 'slip', movePast: 'slipped' },
  { moveHead: 'end flat', movePast: 'ended little changed' },
  { moveHead: 'climb for a third day', movePast: 'climbed for a third straight session' },
  { moveHead: 'fall back from recent highs', movePast: 'fell back from recent highs' },
];

const bizMarkets: StoryKind = {
  id: 'biz-markets',
  section: 'business',
  facts(rng) {
    return {
      ...rng.pick(MARKET_MOVES),
      factor: rng.pick([
        'comments from the central bank',
        'a softer yen',
        'earnings from chipmakers',
        'overseas bond yields',
        'weak retail sales data',
        'a rebound in oil prices',
      ]),
      company: rng.pick(COMPANIES).company,
      ...person(rng, 'jp', 'strategist'),
      region: 'jp',
    };
  },
  identity: ['moveHead', 'factor'],
  headline: [
    'Tokyo stocks {moveHead} as investors weigh {factor}',
    'Tokyo shares {moveHead}, {factor} in focus',
  ],
  dek: [
    'Trading was cautious ahead of a busy week of corporate earnings.',
    'Exporters set the tone as the yen held steady.',
  ],
  lede: [
    `Tokyo stocks {movePast} on ${WEEKDAY}, as investors weighed {factor} and looked ahead to a busy week of corporate earnings.`,
  ],
  body: [
    "Trading volumes were [light|moderate|above average], with many investors reluctant to take large positions before [the central bank's next policy meeting|key US economic data|the end of the quarter].",
    'Exporters [led the market|lagged the broader market], while [retailers|utilities|banks] were mixed.',
    "'The market is looking for a reason to move, and it has not quite found one,' said {strategist}, a strategist at a Tokyo asset manager.",
    'Bond yields were little changed, and the yen held within a narrow range against the dollar.',
    'Among individual stocks, {company} [rose|fell] after [a brokerage upgrade|a downgrade from a brokerage|news of a share buyback].',
  ],
  closing: [
    'Trading resumes [on Monday|tomorrow], with [industrial output|household spending] figures due before the open.',
  ],
  photo: [
    'A passer-by looks at an electronic board showing stock prices in Tokyo, Japan',
    'People walk past a screen displaying market data in Tokyo, Japan',
  ],
  art: { scenes: ['chart'], palettes: ['night', 'slate', 'ocean'], word: null },
  wire: { chance: 0.5, dateline: 'Tokyo' },
};

const PRODUCERS = [
  {
    country: 'Kenya',
    city: 'Nairobi',
    region: 'east-africa',
    who: 'tea growers',
    crop: 'tea',
    scene: 'Workers pick tea on a plantation',
  },
  {
    country: 'Ghana',
    city: 'Accra',
    region: 'west-africa',
    who: 'cocoa farmers',
    crop: 'cocoa',
    scene: 'A farmer opens cocoa pods',
  },
  {
    country: 'Vietnam',
    city: 'Hanoi',
    region: 'vietnam',
    who: 'coffee growers',
    crop: 'coffee',
    scene: 'A worker sorts coffee cherries',
  },
  {
    country: 'Peru',
    city: 'Lima',
    region: 'latam',
    who: 'quinoa farmers',
    crop: 'quinoa',
    scene: 'A farmer harvests quinoa',
  },
  {
    country: 'Uruguay',
    city: 'Montevideo',
    region: 'latam',
    who: 'wool producers',
    crop: 'wool',
    scene: 'Sheep are gathered for shearing',
  },
  {
    country: 'Norway',
    city: 'Oslo',
    region: 'nordic',
    who: 'salmon farmers',
    crop: 'salmon',
    scene: 'Workers tend salmon pens in a fjord',
  },
  {
    country: 'Mongolia',
    city: 'Ulaanbaatar',
    region: 'mongolia',
    who: 'cashmere herders',
    crop: 'cashmere',
    scene: 'A herder combs cashmere from a goat',
  },
  {
    country: 'New Zealand',
    city: 'Wellington',
    region: 'en',
    who: 'kiwifruit growers',
    crop: 'kiwifruit',
    scene: 'Pickers harvest kiwifruit in an orchard',
  },
  {
    country: 'Georgia',
    city: 'Tbilisi',
    region: 'caucasus',
    who: 'winemakers',
    crop: 'wine',
    scene: 'Workers harvest grapes at a vineyard',
  },
  {
    country: 'Kazakhstan',
    city: 'Almaty',
    region: 'central-asia',
    who: 'wheat farmers',
    crop: 'wheat',
    scene: 'A combine harvester works a wheat field',
  },
] as const;

const bizProducers: StoryKind = {
  id: 'biz-producers',
  section: 'business',
  facts(rng) {
    const p = rng.pick(PRODUCERS);
    return {
      ...p,
      outlook: rng.pick([
        'expect a strong season',
        'look to new buyers in Asia',
        'bet on quality over quantity',
        'turn to cooperatives to cut costs',
      ]),
      ...person(rng, p.region, 'producer'),
    };
  },
  identity: ['country'],
  headline: ['{Who} in {country} {outlook}', "{Country}'s {who} {outlook}"],
  dek: [
    'Interest from East Asian importers is growing, but costs are still running high.',
    'Producers say quality, not volume, is where the future lies.',
  ],
  lede: [
    '{Who} in {country} are preparing for a season that many say could shape the next few years of the {crop} trade, with growing interest from buyers in Asia and costs still running high.',
  ],
  body: [
    "'We cannot control the weather or the markets. What we can control is quality, and that is where we are putting our money,' said {producer}, who runs a [family business|cooperative] outside {city}.",
    'Industry groups say exports of {crop} to East Asian markets, including Japan, have grown steadily over the past five years, helped by trade fairs and direct relationships between producers and importers.',
    'Costs for fuel, fertiliser and labour remain well above where they were a few years ago, squeezing smaller producers in particular.',
    'Many are turning to cooperatives to share equipment and negotiate better prices, a model that officials say they want to expand.',
    'Researchers have also begun working with producers to adapt to [longer dry spells|warmer winters|more erratic rainfall], testing new varieties and methods.',
  ],
  closing: ['Industry groups are due to publish a season outlook [next month|in the coming weeks].'],
  photo: ['{Scene} near {city}, {country}'],
  art: { scenes: ['ridges'], palettes: ['forest', 'sand', 'dawn', 'teal'], word: '{country}' },
  wire: { chance: 0.75, dateline: '{city}', handout: 'Producers Association' },
};

// ---------------------------------------------------------------------------------------------- tech

const PRODUCTS = [
  {
    maker: 'Kumo Devices',
    full: 'a foldable e-paper tablet',
    short: 'e-paper tablet',
    pitch: 'weighs less than a paperback and runs for weeks on a charge',
  },
  {
    maker: 'Sorano Robotics',
    full: 'a warehouse robot that climbs shelving',
    short: 'shelf-climbing robot',
    pitch: 'can reach the top of storage racks without a forklift',
  },
  {
    maker: 'Tessera Audio',
    full: 'an offline translation earpiece',
    short: 'translation earpiece',
    pitch: 'works without a network connection in a dozen languages',
  },
  {
    maker: 'Fennel Labs',
    full: 'a pocket air-quality sensor',
    short: 'air-quality sensor',
    pitch: 'pairs with a phone to map pollution along a walk or a commute',
  },
  {
    maker: 'Hikari Mobility',
    full: 'a folding electric scooter for commuters',
    short: 'folding scooter',
    pitch: 'folds small enough to carry onto a crowded train',
  },
  {
    maker: 'Aomi Electric',
    full: 'a solar charging bench for parks',
    short: 'solar bench',
    pitch: 'can charge a dozen phones at once, even on a cloudy day',
  },
  {
    maker: 'Sorano Robotics',
    full: 'a kitchen robot arm for restaurants',
    short: 'kitchen robot arm',
    pitch: 'can plate several hundred dishes an hour without tiring',
  },
];

const techLaunch: StoryKind = {
  id: 'tech-launch',
  section: 'tech',
  facts(rng) {
    return {
      ...rng.pick(PRODUCTS),
      price: withCommas(rng.int(12, 180) * 1000 - 200),
      ...person(rng, 'jp', 'exec'),
      ...person(rng, 'en', 'analyst'),
      region: 'jp',
    };
  },
  identity: ['short'],
  headline: [
    '{Maker} unveils {full}',
    'Hands-on with the new {short} from {maker}',
    '{Maker} bets on {full} to reach new customers',
  ],
  dek: [
    'Sales start later this year; analysts say price and battery life will decide its fate.',
    'The company hopes the product will take it beyond its usual customers.',
  ],
  lede: [
    `{Maker} on ${WEEKDAY} unveiled {full}, a product the company hopes will [open a new line of business|reach customers beyond its usual base], with sales due to start [in the spring|in the autumn|in the new year].`,
  ],
  body: [
    'The company says the device {pitch}, and will sell for about ¥{price} before tax.',
    'At a demonstration in Tokyo, engineers showed a prototype working [smoothly|reliably, if a little slowly], though some features shown on stage will not be available at launch.',
    "'We started with a problem our own staff had, and kept going until we had something we would actually buy,' said {exec}, who led the development team.",
    'Analysts said the product was promising but entered a crowded market. {Analyst}, who follows the consumer technology sector, said price and reliability would decide its fate.',
    'The company has not disclosed sales targets, but said it had built production capacity for [tens of thousands of|several thousand] units in the first year.',
  ],
  closing: [
    "Pre-orders open [next month|in the coming weeks] through the company's website and selected retailers.",
  ],
  photo: ["A staff member demonstrates {maker}'s {short} at a launch event in Tokyo, Japan"],
  art: { scenes: ['circuit', 'orbs'], palettes: ['night', 'slate', 'teal', 'plum'], word: null },
  wire: { chance: 0.4, dateline: 'Tokyo', handout: '{maker}' },
};

const BREAKTHROUGHS = [
  {
    full: 'a battery made partly from seaweed',
    short: 'seaweed battery',
    use: 'cheaper storage for rooftop solar panels',
    partner: 'a local utility',
  },
  {
    full: 'a sensor that can hear leaks in water pipes',
    short: 'leak sensor',
    use: 'far less water lost from ageing pipes',
    partner: 'the city waterworks',
  },
  {
    full: 'a robot hand gentle enough to peel fruit',
    short: 'robot hand',
    use: 'gentler machines for food processing',
    partner: 'a fruit cooperative',
  },
  {
    full: 'a paint that keeps buildings cooler in summer',
    short: 'cooling paint',
    use: 'lower air-conditioning bills',
    partner: 'a school district',
  },
  {
    full: 'software that maps potholes from bus cameras',
    short: 'pothole-mapping system',
    use: 'faster road repairs',
    partner: 'a regional bus operator',
  },
  {
    full: 'a fishing net that breaks down in seawater',
    short: 'biodegradable net',
    use: 'less lost gear polluting the sea',
    partner: 'a fishing cooperative',
  },
  {
    full: 'a low-cost sensor that warns of landslides',
    short: 'landslide sensor',
    use: 'earlier warnings for mountain towns',
    partner: 'a prefectural road office',
  },
];

const techResearch: StoryKind = {
  id: 'tech-research',
  section: 'tech',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      ...rng.pick(BREAKTHROUGHS),
      ...person(rng, 'jp', 'lead'),
      ...person(rng, 'en', 'analyst'),
      region: 'jp',
    };
  },
  identity: ['short'],
  headline: [
    'Researchers in {city} develop {full}',
    '{City} team tests {full}',
    'A {short} from {city} could mean {use}',
  ],
  dek: [
    'The team says a commercial product is still several years away.',
    'Early field tests are promising, but larger trials are needed.',
  ],
  lede: [
    'A research team at a university in {city} says it has developed {full}, which it hopes could eventually lead to {use}.',
  ],
  body: [
    'The work, described in a paper published this month, is still at an early stage, and the team stressed that a commercial product was likely to be several years away.',
    "'We wanted something simple enough to be built cheaply and repaired locally,' said {lead}, the project's lead researcher. 'The hard part was making it reliable outside the lab.'",
    'The team has been testing prototypes with {partner} for the past year.',
    "Independent researchers welcomed the results but said larger trials would be needed. {Analyst}, an engineer who was not involved in the study, called the approach 'clever, but the real test is a wet winter and a tight budget.'",
    'The project received funding from a national programme that supports partnerships between universities and small companies.',
  ],
  closing: ['The team plans a larger field trial [next year|over the coming year].'],
  photo: ['Researchers work on a prototype {short} at a laboratory in {city}, Japan'],
  art: { scenes: ['circuit', 'orbs'], palettes: ['teal', 'night', 'ocean'], word: null },
  wire: { chance: 0.35, dateline: '{city}', handout: 'Research Team' },
};

const techStartups: StoryKind = {
  id: 'tech-startups',
  section: 'tech',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      field: rng.pick([
        'farm drones',
        'quantum-safe encryption',
        'robots for elder care',
        'satellite data for fisheries',
        'battery recycling',
        'software for small clinics',
      ]),
      ...person(rng, 'jp', 'founder'),
      region: 'jp',
    };
  },
  identity: ['field'],
  headline: [
    'In {city}, a new crop of start-ups bets on {field}',
    '{City} start-ups look to {field} for growth',
    'Why {city} is becoming a hub for {field}',
  ],
  dek: [
    'Lower costs, local universities and an eager city hall are keeping young founders from leaving.',
    'Investors say the challenge for regional start-ups is scale.',
  ],
  lede: [
    'A small but growing cluster of start-ups in {city} is betting on {field}, drawn by lower costs than in Tokyo, local universities and a city government eager to keep young graduates from leaving.',
  ],
  body: [
    'Most of the companies employ fewer than [twenty|thirty] people, and several share an office in a converted [warehouse|department store|bank branch] near the station.',
    "'Ten years ago, anyone who wanted to start a company here moved away. Now people are moving here to do it,' said {founder}, who co-founded one of the firms.",
    'The city offers subsidised office space and help with hiring, and a regional bank has set up a fund for early-stage companies.',
    'Investors say the challenge is scale. Many start-ups outside the largest cities struggle to raise the bigger sums needed to expand once their first products take off.',
    'Some of the firms are already selling abroad, particularly to customers in Southeast Asia.',
  ],
  closing: [
    'The city plans to host its first start-up fair [in the autumn|next spring], aiming to attract investors from across the country.',
  ],
  photo: ['Staff work at a shared start-up office in {city}, Japan'],
  art: { scenes: ['circuit', 'skyline'], palettes: ['night', 'plum', 'slate'], word: '{city}' },
  wire: { chance: 0.2, dateline: '{city}' },
};

// ---------------------------------------------------------------------------------------------- sports

const TEAMS = [
  { team: 'Sapporo Snow Owls', town: 'Sapporo' },
  { team: 'Kobe Harbor FC', town: 'Kobe' },
  { team: 'Sendai Comets', town: 'Sendai' },
  { team: 'Niigata Cranes', town: 'Niigata' },
  { team: 'Okayama Peaches', town: 'Okayama' },
  { team: 'Kanazawa Lancers', town: 'Kanazawa' },
  { team: 'Nagasaki Seagulls', town: 'Nagasaki' },
  { team: 'Matsumoto Ridge', town: 'Matsumoto' },
  { team: 'Kochi Whalers', town: 'Kochi' },
  { team: 'Toyama Lightning', town: 'Toyama' },
];

const sportsMatch: StoryKind = {
  id: 'sports-match',
  section: 'sports',
  facts(rng) {
    const [home, away, next] = rng.shuffle(TEAMS) as [
      (typeof TEAMS)[0],
      (typeof TEAMS)[0],
      (typeof TEAMS)[0],
    ];
    const homeWins = rng.chance(0.6);
    const wg = rng.int(1, 4);
    const lg = rng.int(0, wg - 1);
    const margin = wg - lg;
    return {
      winner: (homeWins ? home : away).team,
      loser: (homeWins ? away : home).team,
      next: next.team,
      venue: home.town,
      wg: String(wg),
      lg: String(lg),
      verb: margin === 1 ? 'edge' : margin >= 3 ? 'rout' : 'beat',
      verbPast: margin === 1 ? 'edged' : margin >= 3 ? 'routed' : 'beat',
      outcome: rng.pick([
        'to end a four-game winless run',
        'to move into the playoff places',
        'in front of a near-capacity crowd',
        'despite late pressure',
      ]),
      crowd: withCommas(rng.int(6, 28) * 1000),
      ...person(rng, 'jp', 'scorer'),
      ...person(rng, 'jp', 'coach'),
      region: 'jp',
    };
  },
  identity: ['winner', 'loser'],
  headline: ['{Winner} {verb} {loser} {wg}-{lg} {outcome}'],
  dek: [
    '{Scorer} made the difference in a [tense|lively|scrappy] match.',
    'The result lifts {winner} up the table.',
  ],
  lede: [
    `{Winner} {verbPast} {loser} {wg}-{lg} in {venue} on ${WEEKEND}, with {scorer} scoring the goal that settled a [tense|lively|scrappy] match.`,
  ],
  body: [
    'The visitors started brightly and should have gone ahead inside the first ten minutes, but their shot was [tipped over the bar|cleared off the line].',
    "'We did not play our best football today, but the players found a way, and that matters at this stage of the season,' said {coach}, the {winner} coach.",
    '{Loser} pressed hard in the closing stages and had a late penalty appeal turned down by the referee.',
    'A crowd of about {crowd} watched the match in [cold|warm|humid|breezy] conditions.',
    'The result lifts {winner} to [second|third|fourth|fifth] in the table.',
  ],
  closing: ['{Winner} face {next} next weekend.'],
  photo: ['{Scorer} of {winner} celebrates scoring against {loser} in {venue}, Japan'],
  art: { scenes: ['pitch'], palettes: ['forest', 'night'], word: null },
  wire: { chance: 0.25, dateline: '{venue}' },
};

const ORIGINS = [
  { region: 'east-africa', from: 'Kenya', adj: 'Kenyan' },
  { region: 'jp', from: 'Japan', adj: 'Japanese' },
  { region: 'nordic', from: 'Norway', adj: 'Norwegian' },
  { region: 'latam', from: 'Peru', adj: 'Peruvian' },
  { region: 'iberia', from: 'Portugal', adj: 'Portuguese' },
  { region: 'west-africa', from: 'Ghana', adj: 'Ghanaian' },
  { region: 'central-asia', from: 'Kazakhstan', adj: 'Kazakh' },
  { region: 'west-europe', from: 'Belgium', adj: 'Belgian' },
] as const;

const RACES = [
  { event: 'marathon', noun: 'runner' },
  { event: 'half marathon', noun: 'runner' },
  { event: 'open-water swim', noun: 'swimmer' },
  { event: 'cycling road race', noun: 'rider' },
  { event: 'triathlon', noun: 'triathlete' },
];

const sportsRace: StoryKind = {
  id: 'sports-race',
  section: 'sports',
  facts(rng) {
    const origin = rng.pick(ORIGINS);
    const rival = rng.pick(ORIGINS);
    return {
      ...capitalFacts(rng),
      ...rng.pick(RACES),
      ...person(rng, origin.region, 'athlete'),
      rival: personName(rng, rival.region),
      from: origin.from,
      nationality: origin.adj,
      cond: rng.pick([
        'in a course-record time',
        'after a sprint finish',
        'in driving rain',
        'in a tight finish',
      ]),
      gap: String(rng.int(4, 58)),
      field: withCommas(rng.int(4, 60) * 500),
    };
  },
  identity: ['city', 'event'],
  headline: [
    '{Athlete} wins {city} {event} {cond}',
    '{Nationality} {noun} {athlete} takes {city} {event} title',
  ],
  dek: [
    'The winner pulled clear of a strong field in the closing stages.',
    'Thousands of amateurs followed the leaders home.',
  ],
  lede: [
    `{Athlete} of {from} won the {city} {event} on ${WEEKEND} {cond}, pulling clear of a strong field in the final stretch.`,
  ],
  body: [
    "'I felt good from the start, but the last part was very hard. The crowd carried me,' {athleteShort} said after the finish.",
    'Defending champion {rival} finished [second|third], {gap} seconds back.',
    'About {field} people took part, organisers said, many of them amateurs raising money for local charities.',
    'Conditions were [cool and still|warm and humid|wet and windy] for much of the race, and medical teams were stationed along the course.',
    'The race has grown steadily in recent years and now attracts entrants from more than [forty|fifty|sixty] countries.',
  ],
  closing: ["Organisers said next year's event would keep the same course."],
  photo: ['{Athlete} of {from} crosses the finish line to win the {event} in {city}, {country}'],
  art: { scenes: ['ridges', 'harbour', 'skyline'], palettes: ['dawn', 'ocean', 'teal'], word: '{city}' },
  wire: { chance: 0.8, dateline: '{city}' },
};

const TOURNAMENTS = [
  { tournament: 'the Pacific Rim Sevens', sport: 'rugby sevens' },
  { tournament: 'the Four Seas Volleyball Cup', sport: 'volleyball' },
  { tournament: 'the Northern Lights Handball Series', sport: 'handball' },
  { tournament: 'the Harbour Nations Trophy', sport: 'water polo' },
  { tournament: 'the Continental Hockey Classic', sport: 'field hockey' },
];

const sportsSquad: StoryKind = {
  id: 'sports-squad',
  section: 'sports',
  facts(rng) {
    const f = capitalFacts(rng, rng.pick(TOURNAMENTS));
    const n = rng.int(2, 6);
    return { ...f, n: String(n), nWord: numberWord(n), ...person(rng, f.region as NameRegion, 'coach') };
  },
  identity: ['country', 'tournament'],
  headline: [
    '{Country} names {n} newcomers in squad for {tournament}',
    '{Country} coach bets on youth for {tournament}',
  ],
  dek: [
    'Several experienced players were left out, a decision that surprised some supporters.',
    'The coach says the team is being built for the next four years, not the next four weeks.',
  ],
  lede: [
    `{Country}'s {sport} team named a squad including {nWord} uncapped players on ${WEEKDAY} for {tournament}, which begins [next month|in three weeks].`,
  ],
  body: [
    "'Some of these players are very young, but they have earned their place. We want to build a team for the next four years, not just the next four weeks,' head coach {coach} told reporters.",
    "Several experienced players were left out, including [a long-serving captain|two of the team's leading scorers], a decision that surprised some supporters.",
    'The squad will hold a training camp [at altitude|on the coast|at the national sports centre] before travelling to the tournament.',
    'The team finished [fourth|sixth|as runners-up] at the last edition and will face [two|three] higher-ranked sides in the group stage.',
  ],
  closing: ['The final squad must be confirmed with organisers by the end of the month.'],
  photo: ["Players of {country}'s national {sport} team attend a training session in {city}, {country}"],
  art: { scenes: ['pitch', 'orbs'], palettes: ['forest', 'ocean', 'night'], word: '{country}' },
  wire: { chance: 0.75, dateline: '{city}' },
};

// ---------------------------------------------------------------------------------------------- opinion

const COLUMNISTS = ['Naoko Shirakawa', 'Callum Mackie', 'Sayaka Ueno', 'Ruth Okoro', 'Daisuke Tomita'];

const OPINION_ART = {
  scenes: ['orbs', 'bloom', 'skyline'],
  palettes: ['plum', 'slate', 'rose', 'teal'],
  word: null,
} as const;

const opinionProposal: StoryKind = {
  id: 'opinion-proposal',
  section: 'opinion',
  facts(rng) {
    return {
      city: rng.pick(JAPAN_CITIES),
      proposal: rng.pick([
        'make buses free for teenagers',
        'open school pools to everyone in summer',
        'bring back its night market',
        'plant shade trees on every shopping street',
        'let residents decide how to spend part of its budget',
        'turn its main road into a weekend promenade',
      ]),
    };
  },
  identity: ['proposal'],
  headline: ['Why {city} should {proposal}', 'It is time for {city} to {proposal}'],
  dek: ['The objections are familiar. None of them is a good enough reason to keep waiting.'],
  lede: [
    'Every city has a few ideas that come up at every election and then quietly disappear. In {city}, one of them is the proposal to {proposal}. It is time to stop talking about it and do it.',
  ],
  body: [
    'The objections are familiar: it costs money, it has never been done here, someone somewhere will complain. All of these are true, and none of them is a good enough reason to keep waiting.',
    'The benefits, by contrast, are rarely counted properly. A city is not only its budget; it is also the time people spend outside, the trips they make, and the small encounters that make a neighbourhood feel like one.',
    'Other cities of similar size have tried versions of the idea. Not all have worked perfectly, but the ones that succeeded started small, measured what happened and were willing to adjust.',
    '{City} could do the same: a one-year trial, a clear budget, and a promise to publish the results whatever they show.',
    'Critics will say there are more urgent priorities. There always are. But a city that only ever fixes urgent problems never gets round to becoming a better place to live.',
  ],
  quote: ['A city that only ever fixes urgent problems never gets round to becoming a better place to live.'],
  closing: [
    'The next city budget is due to be debated in the spring. It would be a good moment to finally say yes.',
  ],
  photo: ['A shopping street in central {city}, Japan'],
  art: OPINION_ART,
  bylines: COLUMNISTS,
};

const opinionPraise: StoryKind = {
  id: 'opinion-praise',
  section: 'opinion',
  facts(rng) {
    return {
      thing: rng.pick([
        'the neighbourhood public bath',
        'the local bookshop',
        'the slow train',
        'the humble vending machine',
        'the station noodle stand',
        'the paper timetable',
        'community radio',
      ]),
    };
  },
  identity: ['thing'],
  headline: ['In praise of {thing}', 'The quiet case for {thing}', 'What we lose when we lose {thing}'],
  dek: ['It is not new and it rarely makes headlines. That is exactly why it is worth defending.'],
  lede: [
    'It is easy to overlook {thing}. It is not new, it does not make headlines, and it rarely appears in anyone\u2019s plans for the future. That is exactly why it is worth defending.',
  ],
  body: [
    'Think of the last time you relied on it. Chances are it was an ordinary day, and chances are it worked exactly as expected. Reliability of that kind is not glamorous, but it is precious.',
    'There is a tendency to treat anything that is not growing as something that is failing. But some things are not meant to grow. They are meant to last, and to be there when they are needed.',
    'Of course, nostalgia is not a policy. If {thing} is to survive, it has to earn its place, and that means adapting: longer hours here, a new service there, a little help from the people who value it.',
    'The people who keep such places running are rarely thanked. A few words of appreciation, and a little more custom, would go a long way.',
  ],
  quote: ['Some things are not meant to grow. They are meant to last.'],
  closing: [
    'We tend to notice these things only once they are gone. This time, let us notice a little earlier.',
  ],
  photo: ['An early-morning street scene in an older Tokyo neighbourhood, Japan'],
  art: OPINION_ART,
  bylines: COLUMNISTS,
};

const opinionEditorial: StoryKind = {
  id: 'opinion-editorial',
  section: 'opinion',
  facts(rng) {
    return {
      claim: rng.pick([
        'rural bus routes deserve steady funding',
        'disaster drills must include visitors',
        'vacant homes need a national register',
        'school lunches should stay affordable',
        'libraries are infrastructure too',
        'heat safety at work needs clearer rules',
        'small ports need a long-term plan',
      ]),
    };
  },
  identity: ['claim'],
  headline: ['Editorial: {Claim}'],
  dek: ['When the basics work, nobody notices. When they fail, those with the fewest alternatives pay.'],
  lede: [
    'Some policy questions generate heated debate; others are settled quietly, almost by default. The question of whether {claim} belongs, wrongly, in the second group.',
  ],
  body: [
    'The case is not complicated. When the basics work, people rarely notice them. When they fail, it is the people with the fewest alternatives who pay the price.',
    'Local governments have done much with limited resources, but they cannot be expected to carry the burden alone. Predictable, multi-year support would allow them to plan rather than improvise.',
    'Critics argue that money is tight and that every new commitment must be weighed against others. That is fair. But the cost of neglect tends to be higher, and it tends to arrive all at once.',
    'Nor does this require grand new institutions. Clear rules, reliable data and a willingness to review what works would go a long way.',
  ],
  closing: ['Lawmakers will have a chance to act when the budget is debated. They should take it.'],
  photo: ['A general view of central Tokyo, Japan'],
  art: OPINION_ART,
  bylines: [null],
};

// ---------------------------------------------------------------------------------------------- site

export const newsSite: SiteSpec = {
  slug: 'news',
  name: 'The Meridian Dispatch',
  tagline: 'News from Japan and the world',
  language: 'en',
  timeZone: 'Asia/Tokyo',
  utcOffsetMinutes: 9 * 60,
  primaryColor: '#12355b',
  accentColor: '#b3261e',
  publisher: 'Meridian Media Inc.',
  sections: [
    {
      slug: 'world',
      name: 'World',
      description: 'Reports from our correspondents and agency partners around the globe.',
      weight: 1.4,
      filler: [
        'Local media gave the story prominent coverage, and it was widely discussed online.',
        'More details are expected to be released in the coming days.',
        'Residents interviewed in the city centre had mixed views, though most said they were following developments closely.',
      ],
    },
    {
      slug: 'japan',
      name: 'Japan',
      description: 'National news, regional life and the people shaping the country.',
      weight: 1.2,
      filler: [
        'Local broadcasters covered the story on their evening news programmes, and it drew wide interest online.',
        'Officials in neighbouring municipalities said they were watching the project closely.',
        'Japan\u2019s population has been shrinking for more than a decade, and many regional cities are experimenting with ways to adapt.',
      ],
    },
    {
      slug: 'business',
      name: 'Business',
      description: 'Companies, markets and the economy, from Tokyo and beyond.',
      weight: 1.2,
      filler: [
        'The figures come as companies across the region adjust to higher costs and shifting demand.',
        'Economists say the coming months will show whether recent trends are lasting.',
        'Several rivals are expected to report results later in the month.',
      ],
    },
    {
      slug: 'tech',
      name: 'Tech',
      description: 'Gadgets, research and the start-ups to watch.',
      filler: [
        'Japan has been encouraging closer links between universities and industry, hoping to turn more research into products.',
        'Industry watchers say hardware start-ups face a tougher path than software firms because of the cost of manufacturing.',
        'Details of pricing and availability outside Japan have not been announced.',
      ],
    },
    {
      slug: 'sports',
      name: 'Sports',
      description: 'Results, reports and stories from the world of sport.',
      filler: [
        'Tickets for the next fixtures are on sale through the organisers\u2019 website.',
        'Highlights were shown on regional television later in the evening.',
        'Supporters travelled in large numbers despite the early start.',
      ],
    },
    {
      slug: 'opinion',
      name: 'Opinion',
      description: 'Columns, editorials and arguments worth having.',
      weight: 0.7,
      filler: [
        'None of this is to say that change is easy. It rarely is. But difficulty is an argument for care, not for inaction.',
        'It is worth remembering that many of the things we now take for granted were once dismissed as unaffordable or unrealistic.',
        'The question, in the end, is what kind of place we want to live in, and what we are prepared to do about it.',
      ],
    },
  ],
  kinds: [
    worldTalks,
    worldWeather,
    worldOpening,
    worldDiscovery,
    japanTrial,
    japanSchool,
    japanFestival,
    japanHousing,
    bizForecastUp,
    bizForecastDown,
    bizDeal,
    bizMarkets,
    bizProducers,
    techLaunch,
    techResearch,
    techStartups,
    sportsMatch,
    sportsRace,
    sportsSquad,
    opinionProposal,
    opinionPraise,
    opinionEditorial,
  ],
  // Staff names use surnames outside the invented-source pools, so a writer is never also quoted as a source.
  writers: [
    'Kenji Tsuchiya',
    'Mei Hashimoto',
    'Owen Carrick',
    'Emi Wakabayashi',
    'Marcus Thorne',
    'Aiko Minami',
    'Hannah Greaves',
  ],
  agencies: [{ name: 'Example Wire' }, { name: 'Orbis Wire' }, { name: 'Redline Press' }],
};

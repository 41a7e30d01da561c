// Copy for the demo travel guide, written in American English for a New York-based title. Destinations are
// real places described only in general, uncontroversial terms; hotels, guides and locals are invented, and
// no restaurant, hotel or business is named that could be mistaken for a real recommendation.

import { type SiteSpec, type StoryKind, someOf } from '../assemble.ts';
import { type NameRegion, personName, shortName } from '../people.ts';
import type { Rng } from '../prng.ts';
import { numberWord, withCommas } from '../template.ts';

interface Place {
  place: string;
  country: string;
  region: NameRegion;
  /** Plural noun phrase: "its {feature}". */
  feature: string;
  landscape: string;
  food: string;
}

const PLACES: readonly Place[] = [
  {
    place: 'Kyoto',
    country: 'Japan',
    region: 'jp',
    feature: 'quiet lanes',
    landscape: 'wooded hills',
    food: 'tofu and pickles',
  },
  {
    place: 'Porto',
    country: 'Portugal',
    region: 'iberia',
    feature: 'tiled facades',
    landscape: 'river valley',
    food: 'grilled sardines',
  },
  {
    place: 'Tbilisi',
    country: 'Georgia',
    region: 'caucasus',
    feature: 'balconied old streets',
    landscape: 'surrounding hills',
    food: 'dumplings and cheese bread',
  },
  {
    place: 'Oaxaca',
    country: 'Mexico',
    region: 'latam',
    feature: 'colorful streets',
    landscape: 'valleys outside the city',
    food: 'slow-cooked mole',
  },
  {
    place: 'Hokkaido',
    country: 'Japan',
    region: 'jp',
    feature: 'small harbor towns',
    landscape: 'volcanic lakes',
    food: 'seafood and dairy',
  },
  {
    place: 'Ljubljana',
    country: 'Slovenia',
    region: 'west-europe',
    feature: 'riverside cafes',
    landscape: 'nearby alpine lakes',
    food: 'hearty stews',
  },
  {
    place: 'Tasmania',
    country: 'Australia',
    region: 'en',
    feature: 'wild beaches',
    landscape: 'national parks',
    food: 'oysters and apples',
  },
  {
    place: 'Kerala',
    country: 'India',
    region: 'en',
    feature: 'quiet backwaters',
    landscape: 'tea hills',
    food: 'coconut curries',
  },
  {
    place: 'the Azores',
    country: 'Portugal',
    region: 'iberia',
    feature: 'crater lakes',
    landscape: 'green volcanic slopes',
    food: 'slow-cooked stews',
  },
  {
    place: 'Quebec City',
    country: 'Canada',
    region: 'west-europe',
    feature: 'stone-walled streets',
    landscape: 'riverside trails',
    food: 'hearty bistro cooking',
  },
  {
    place: 'Valparaiso',
    country: 'Chile',
    region: 'latam',
    feature: 'hillside murals',
    landscape: 'Pacific coastline',
    food: 'seafood empanadas',
  },
  {
    place: 'Hoi An',
    country: 'Vietnam',
    region: 'vietnam',
    feature: 'lantern-lit streets',
    landscape: 'nearby rice fields',
    food: 'noodle dishes',
  },
  {
    place: 'Bologna',
    country: 'Italy',
    region: 'west-europe',
    feature: 'arcaded streets',
    landscape: 'rolling hills',
    food: 'fresh pasta',
  },
  {
    place: 'Seville',
    country: 'Spain',
    region: 'iberia',
    feature: 'shady courtyards',
    landscape: 'riverbanks',
    food: 'small plates',
  },
  {
    place: 'Lofoten',
    country: 'Norway',
    region: 'nordic',
    feature: 'fishing villages',
    landscape: 'mountains rising from the sea',
    food: 'dried cod',
  },
  {
    place: 'Cape Town',
    country: 'South Africa',
    region: 'en',
    feature: 'colorful neighborhoods',
    landscape: 'coastal drives',
    food: 'seafood',
  },
];

function placeFacts(rng: Rng): Record<string, string> {
  const p = rng.pick(PLACES);
  const local = personName(rng, p.region);
  return { ...p, local, localShort: shortName(local) };
}

function person(rng: Rng, key: string): Record<string, string> {
  const name = personName(rng, 'en');
  return { [key]: name, [`${key}Short`]: shortName(name) };
}

const PLACE_ART = {
  scenes: ['ridges', 'harbour', 'skyline'],
  palettes: ['dawn', 'teal', 'ocean', 'sand', 'forest'],
} as const;

// ---------------------------------------------------------------------------------------------- destinations

const destDays: StoryKind = {
  id: 'dest-days',
  section: 'destinations',
  facts(rng) {
    const days = rng.int(3, 5);
    return {
      ...placeFacts(rng),
      n: numberWord(days),
      nWord: numberWord(days),
      angle: rng.pick([
        'a slow itinerary',
        'an itinerary for first-timers',
        'the perfect long stay',
        'a family itinerary',
      ]),
      bestFor: rng.pick(['couples', 'solo travelers', 'families', 'food lovers', 'walkers']),
    };
  },
  identity: ['place'],
  headline: ['{N} days in {place}: {angle}', 'How to spend {nWord} days in {place}'],
  dek: ['See the highlights without rushing, and leave time to get a little lost.'],
  lede: [
    '{Place} rewards visitors who slow down. With {nWord} days you can see the highlights without rushing, and still have time to get a little lost among its {feature}.',
  ],
  body: [
    'Spend your first morning getting your bearings on foot. Skip the tour bus and walk; the best discoveries tend to happen between the sights rather than at them.',
    'On day two, head out toward the {landscape}. Start early to beat the crowds, and pack water and a light layer: the weather can change quickly.',
    'Food is half the reason to come. Look for {food} at small, family-run places, and do not be shy about pointing at what the next table is eating.',
    '"Visitors who come for a few days always tell me they wish they had stayed longer," says {local}, who [runs a guesthouse|leads walking tours|owns a small cafe] in {place}. "That is the best compliment."',
    'Save your final day for whatever caught your eye earlier. A second visit to a favorite neighborhood is often more rewarding than a rushed trip to one more sight.',
  ],
  list: {
    heading: 'At a glance',
    items: () => [
      'Best for: {bestFor}',
      'Getting around: on foot and by public transit where possible',
      "Don't miss: the {feature}",
      'Pack: comfortable shoes and a light rain jacket',
    ],
  },
  closing: [
    'However you spend your time, leave a little room for the unplanned. It is usually the part you remember.',
  ],
  photo: [
    'The {feature} of {place}, {country}',
    'Morning light over the {landscape} near {place}, {country}',
  ],
  art: { ...PLACE_ART, word: '{place}' },
};

const destSeason: StoryKind = {
  id: 'dest-season',
  section: 'destinations',
  facts(rng) {
    return { ...placeFacts(rng), season: rng.pick(['spring', 'fall', 'winter', 'early summer']) };
  },
  identity: ['place', 'season'],
  headline: ['Why {season} is the best time to visit {place}', '{Place} in {season}, without the crowds'],
  dek: ['Shorter lines, lower prices and a side of the place many travelers never see.'],
  lede: [
    'Most visitors arrive in {place} at the height of summer. Come in {season} instead and you will find shorter lines, lower prices and a side of the place that many travelers never see.',
  ],
  body: [
    'The weather in {season} is [mild|changeable|crisp and clear], so pack layers and be ready to adjust your plans.',
    'This is a good time to explore the {landscape}, which can be crowded in peak season but feels almost private now.',
    'Many restaurants change their menus with the seasons, and {food} is [at its best|especially welcome] at this time of year.',
    '"This is when locals get their city back," says {local}, who has lived in {place} for most of their life. "Visitors who come now see us as we really are."',
    'Hotels often cut their rates outside the busiest months, and it is easier to find a room at short notice.',
  ],
  quote: ['"This is when locals get their city back." -- {local}'],
  closing: ['Check opening times before you go: some attractions keep shorter hours in the quieter months.'],
  photo: ['The {landscape} near {place}, {country}, in {season}'],
  art: { ...PLACE_ART, word: '{place}' },
};

// ---------------------------------------------------------------------------------------------- food & drink

const fdWhere: StoryKind = {
  id: 'fd-where',
  section: 'food-drink',
  facts: placeFacts,
  identity: ['place'],
  headline: [
    'Where to eat in {place}',
    'A food lover\u2019s guide to {place}',
    '{Place} on a plate: where to eat now',
  ],
  dek: ['We asked locals, chefs and a few very opinionated taxi drivers for their favorites.'],
  lede: [
    'You can eat well almost anywhere in {place}, but knowing where to start helps. We asked locals, chefs and a few very opinionated taxi drivers for their favorites.',
  ],
  body: [
    'Start with breakfast. Many of the best cafes open early and fill up with regulars long before the tour groups arrive.',
    'For lunch, look for {food}. The most modest-looking places often serve the best versions, and a line of locals is always a good sign.',
    '"Eat where the menu is short and changes often. It means the kitchen cooks what is fresh," says {local}, a chef in {place}.',
    'Dinner tends to start later than many visitors expect, so a mid-afternoon snack is a good idea.',
    'Markets are worth a visit even if you are not cooking: many have counters where you can sit down and eat what is in season.',
  ],
  list: {
    heading: 'What to look for',
    items: someOf(
      [
        'A family-run counter near the market, best for a quick lunch',
        'A modern bistro with a short, seasonal menu',
        'A bakery that sells out by noon',
        'A wine bar with small plates and local bottles',
        'A riverside spot for long, lazy dinners',
        'A cafe that takes its coffee very seriously',
      ],
      3,
      5,
    ),
  },
  closing: ['Tipping customs vary, so check local practice before you go.'],
  photo: ['{Food} at a restaurant in {place}, {country}'],
  art: { scenes: ['table'], palettes: ['sand', 'dawn', 'rose', 'forest'], word: null },
};

const fdDrink: StoryKind = {
  id: 'fd-drink',
  section: 'food-drink',
  facts(rng) {
    return { ...placeFacts(rng), drink: rng.pick(['coffee', 'tea', 'craft beer', 'natural wine']) };
  },
  identity: ['place', 'drink'],
  headline: ['{Place} for {drink} lovers: a neighborhood guide', 'Where to drink {drink} in {place}'],
  dek: ['Long-established favorites and a new generation doing things its own way.'],
  lede: [
    'The {drink} scene in {place} has changed a lot in the past few years. Alongside long-established favorites, a new generation of small, independent places is doing things its own way.',
  ],
  body: [
    'Many of the newer places are run by people who trained abroad and came home with new ideas, which they mix freely with local traditions.',
    '"We want people to feel welcome whether they know a lot or nothing at all," says {local}, who runs a small {drink} bar in {place}.',
    'Prices are generally reasonable, and staff are usually happy to recommend something if you tell them what you like.',
    'Most places are clustered in a few walkable neighborhoods, so it is easy to visit two or three in an afternoon.',
  ],
  closing: ['Whatever you order, take your time. Nobody here is in a hurry.'],
  photo: ['A {drink} bar in {place}, {country}'],
  art: { scenes: ['table', 'orbs', 'skyline'], palettes: ['night', 'sand', 'plum'], word: '{place}' },
};

// ---------------------------------------------------------------------------------------------- hotels

const HOTELS = [
  'The Alder',
  'The Linden House',
  'Juniper Lodge',
  'The Salt House',
  'The Lantern Rooms',
  'Casa Ondina',
  "The Weavers' Inn",
  'Harborlight',
  'The Quince Hotel',
  'Hotel Marisol',
  'The Cedar Rooms',
];

const hotelReview: StoryKind = {
  id: 'hotel-review',
  section: 'hotels',
  facts(rng) {
    const owner = rng.chance(0.5);
    const p = placeFacts(rng);
    return {
      ...p,
      hotel: rng.pick(HOTELS),
      rooms: String(rng.int(8, 32)),
      price: `$${withCommas(rng.int(9, 38) * 10)}`,
      verdict: rng.pick([
        'a quiet hideaway with a great breakfast',
        'small, stylish and very good value',
        'worth the splurge',
        'a friendly base for exploring',
      ]),
      bestFor: rng.pick(['couples', 'solo travelers', 'families', 'a long weekend']),
      owner: owner ? (p.local ?? '') : personName(rng, 'en'),
    };
  },
  identity: ['hotel'],
  headline: ['Review: {hotel}, {place}', 'Checking in: {hotel} in {place}', '{Hotel}, {place}: {verdict}'],
  dek: ['{Verdict}, a short walk from the center.'],
  lede: [
    "{Hotel} opened [two|three|five] years ago in a converted [warehouse|townhouse|schoolhouse|merchant's house] a short walk from the center of {place}. With just {rooms} rooms, it feels more like staying with well-traveled friends than checking into a hotel.",
  ],
  body: [
    'Rooms are simple but thoughtfully designed, with good beds, blackout curtains and local art on the walls. The best face the [courtyard|garden|water] and are worth the small premium.',
    'Breakfast is a highlight: local pastries, fresh fruit and strong coffee, served late for those who need it.',
    'Staff are friendly and full of tips, and will happily book restaurants or arrange a guide.',
    'There are a few drawbacks. Walls can be thin, there is no elevator in the older part of the building, and street noise can carry on weekend nights.',
    '"We wanted a place where guests could feel at home in {place} from the moment they arrived," says {owner}, who runs the hotel with [a small team|family members].',
  ],
  list: {
    heading: 'The details',
    items: () => [
      'Rooms: {rooms}',
      'Doubles from {price} a night, including breakfast',
      'Best for: {bestFor}',
      'Accessibility: [step-free access to the ground floor|an elevator to all floors|two adapted rooms]',
    ],
  },
  closing: ['Verdict: {verdict}.'],
  photo: ['A guest room at {hotel} in {place}, {country}'],
  art: { scenes: ['bloom', 'orbs', 'harbour'], palettes: ['sand', 'teal', 'rose', 'slate'], word: null },
};

const STAY_TYPES = ['cabins', 'farm stays', 'design hotels', 'seaside inns', 'family-run guesthouses'];
const STAY_REGIONS = [
  'northern Portugal',
  'the Scottish Highlands',
  'rural Japan',
  'the Canadian Rockies',
  'the Greek islands',
  'Patagonia',
  'the Alps',
  'New England',
];

const hotelList: StoryKind = {
  id: 'hotel-list',
  section: 'hotels',
  facts(rng) {
    const count = rng.int(4, 6);
    return {
      type: rng.pick(STAY_TYPES),
      stayRegion: rng.pick(STAY_REGIONS),
      count: String(count),
      n: numberWord(count),
      price: `$${rng.int(12, 30) * 10}`,
      ...person(rng, 'owner'),
    };
  },
  identity: ['type', 'stayRegion'],
  headline: ['{N} {type} in {stayRegion} for under {price} a night', 'The best {type} in {stayRegion}'],
  dek: ['Character, comfort and fair prices, run by people who love what they do.'],
  lede: [
    'Finding somewhere special to stay in {stayRegion} need not mean spending a fortune. These {type} combine character, comfort and fair prices, and all of them are run by people who clearly love what they do.',
  ],
  body: [
    'Prices are for a double room in shoulder season and can rise sharply in peak months.',
    'Book well ahead for summer and holiday weekends, when the smaller places fill up quickly.',
    'Many of these properties are remote, so a car is helpful, though several can arrange pickups from the nearest station.',
    '"People come for the views and stay for the conversations," says {owner}, who runs one of the places on our list.',
  ],
  list: {
    heading: 'The shortlist',
    items: (facts, rng) =>
      rng.sampleInOrder(
        [
          'A converted barn with a wood-burning stove and mountain views',
          'A five-room inn run by a former chef',
          'A lakeside cabin reached only on foot',
          'A restored farmhouse with its own orchard',
          'A minimalist guesthouse above a bakery',
          'A cliff-top inn with a sauna',
        ],
        Number(facts.count),
      ),
  },
  closing: ['Prices were checked at the time of writing and may change.'],
  photo: ['One of our favorite {type} in {stayRegion}'],
  art: { scenes: ['ridges', 'harbour', 'bloom'], palettes: ['forest', 'teal', 'dawn', 'ocean'], word: null },
};

// ---------------------------------------------------------------------------------------------- tips

const TASKS = [
  {
    task: 'pack for two weeks in a carry-on',
    tips: [
      'Choose a color palette so everything matches',
      'Roll clothes instead of folding them',
      'Wear your bulkiest shoes on the plane',
      'Plan to do laundry once',
      'Use packing cubes to stay organized',
    ],
  },
  {
    task: 'beat jet lag on a long-haul flight',
    tips: [
      'Shift your sleep by an hour a day before you leave',
      'Get outside in daylight as soon as you arrive',
      'Drink plenty of water on the flight',
      'Avoid long naps on the first day',
      'Eat meals at local times',
    ],
  },
  {
    task: 'plan a long-distance rail trip',
    tips: [
      'Book the longest legs first',
      'Build in buffer time for connections',
      'Bring snacks and a refillable bottle',
      'Consider a rail pass if you will take many trains',
      'Ask which side of the train has the better view',
    ],
  },
  {
    task: 'travel with kids and still enjoy it',
    tips: [
      'Plan one main activity a day',
      'Pack snacks, then pack more snacks',
      'Let kids carry their own small backpack',
      'Book accommodation with a kitchen',
      'Build in plenty of downtime',
    ],
  },
  {
    task: 'keep your valuables safe abroad',
    tips: [
      'Keep valuables in a front pocket or zipped bag',
      'Be extra careful on crowded public transit',
      'Carry only the cards you need for the day',
      'Use the hotel safe for passports',
      'Be wary of staged distractions',
    ],
  },
  {
    task: 'travel well on a tight budget',
    tips: [
      'Travel in shoulder season',
      'Eat your main meal at lunchtime',
      'Use public transit instead of taxis',
      'Look for free walking tours and museum days',
      'Stay a little outside the center',
    ],
  },
  {
    task: 'take better travel photos with your phone',
    tips: [
      'Clean your lens before every shot',
      'Shoot early or late for softer light',
      'Include people for a sense of scale',
      'Turn on gridlines to keep the horizon level',
      'Edit lightly',
    ],
  },
];

const tipsHowTo: StoryKind = {
  id: 'tips-howto',
  section: 'tips',
  facts(rng) {
    return { task: rng.pick(TASKS).task, ...person(rng, 'expert') };
  },
  identity: ['task'],
  headline: ['How to {task}', "The smart traveler's guide: how to {task}"],
  dek: ['A few lessons that come up again and again.'],
  lede: [
    'Ask ten experienced travelers how to {task} and you will get ten different answers. Over the years, though, a few lessons come up again and again.',
  ],
  body: [
    'The most important is to plan, but not too much. A rough framework leaves room for the surprises that make travel worthwhile.',
    '"The best trips are the ones where you leave a little slack in the system," says {expert}, who has spent [a decade|twenty years] on the road [as a tour leader|as a travel writer|working for an airline].',
    'Technology can help, but it is no substitute for local knowledge. Ask hotel staff, shopkeepers and fellow travelers for advice.',
    'Finally, be patient with yourself. Things will go wrong; that is part of the story you will tell afterward.',
  ],
  list: { heading: 'Our top tips', items: (facts) => TASKS.find((t) => t.task === facts.task)?.tips ?? [] },
  closing: ['Have a tip we missed? Send it to us and we may include it in a future guide.'],
  photo: ['A traveler checks a map at a railway station', 'Travelers wait for a ferry at dawn'],
  art: { scenes: ['orbs', 'harbour', 'skyline'], palettes: ['ocean', 'teal', 'slate', 'dawn'], word: null },
};

const MISTAKES = [
  'Trying to see everything in one day',
  'Eating only near the main sights',
  'Skipping the neighborhoods beyond the center',
  'Not carrying a little cash for small purchases',
  'Forgetting comfortable shoes',
  'Arriving without booking the most popular attractions',
  'Ignoring local customs around tipping and dress',
];

const tipsMistakes: StoryKind = {
  id: 'tips-mistakes',
  section: 'tips',
  facts(rng) {
    const count = rng.int(4, 6);
    return { ...placeFacts(rng), count: String(count), n: numberWord(count) };
  },
  identity: ['place'],
  headline: [
    '{N} mistakes first-time visitors make in {place}',
    'First time in {place}? Avoid these {count} mistakes',
  ],
  dek: ['A little preparation makes for a smoother, cheaper and more fun first visit.'],
  lede: [
    'Every destination has its unwritten rules, and {place} is no exception. Avoid these common mistakes and your first visit will be smoother, cheaper and a lot more fun.',
  ],
  body: [
    'Most of these mistakes are easy to make and just as easy to fix. Nobody will mind too much if you get something wrong, but a little preparation shows respect.',
    '"Visitors who slow down and ask questions always have a better time," says {local}, a guide in {place}.',
    'Above all, do not try to do too much. {Place} is best enjoyed at a walking pace.',
  ],
  list: { heading: 'The mistakes', items: (facts, rng) => rng.sampleInOrder(MISTAKES, Number(facts.count)) },
  closing: ['With these in mind, you are ready to go. Enjoy {place}.'],
  photo: ['Visitors explore {place}, {country}'],
  art: { ...PLACE_ART, word: '{place}' },
};

// ---------------------------------------------------------------------------------------------- site

export const travelSite: SiteSpec = {
  slug: 'travel',
  name: 'Far Afield',
  tagline: 'Travel guides for the curious',
  language: 'en-US',
  timeZone: 'America/New_York',
  utcOffsetMinutes: -5 * 60,
  primaryColor: '#0f5c4d',
  accentColor: '#a14a00',
  publisher: 'Meridian Media Inc.',
  sections: [
    {
      slug: 'destinations',
      name: 'Destinations',
      description: 'Where to go next, and how to make the most of it.',
      weight: 1.3,
      filler: [
        'Check entry requirements and travel advisories before you book.',
        'Traveling outside peak season is kinder to your budget and to the places you visit.',
        'Consider trains and buses where possible; the journey is often part of the pleasure.',
      ],
    },
    {
      slug: 'food-drink',
      name: 'Food & Drink',
      description: 'Eating and drinking your way around the world.',
      filler: [
        'Opening hours can be irregular, especially at smaller places, so it is worth calling ahead.',
        'Let staff know about allergies or dietary requirements when you book.',
        'Some of the best meals happen by accident, so leave a gap in your plans.',
      ],
    },
    {
      slug: 'hotels',
      name: 'Hotels',
      description: 'Places to stay, from cabins to city hideaways.',
      filler: [
        'Prices are for a standard double room and were correct at the time of writing.',
        'Booking directly with a hotel sometimes gets you a better rate or a small extra.',
        'Always check the cancellation policy before you book.',
      ],
    },
    {
      slug: 'tips',
      name: 'Tips',
      description: 'Practical advice for smoother, cheaper, better trips.',
      weight: 0.9,
      filler: [
        'Travel insurance is worth having, even for short trips.',
        'Keep digital and paper copies of important documents.',
        'Learn a few words of the local language; the effort is appreciated almost everywhere.',
      ],
    },
  ],
  kinds: [destDays, destSeason, fdWhere, fdDrink, hotelReview, hotelList, tipsHowTo, tipsMistakes],
  // Staff names use surnames outside the invented-source pools, so a writer is never also quoted as a source.
  writers: [
    'Maya Castellano',
    'Jonas Brandt',
    'Elena Varga',
    'Marcus Webb',
    'Sophie Aldridge',
    'Rui Albuquerque',
  ],
};

// Copy for the demo lifestyle magazine: food, style, culture, wellbeing and what's on, written in British
// English for a London-based title. All makers, artists, books, bands and festivals are invented; towns are
// real but only as settings. Wellbeing copy stays with gentle, general advice and makes no health claims.

import type { SiteSpec, StoryKind } from '../assemble.ts';
import { personName, shortName } from '../people.ts';
import type { Rng } from '../prng.ts';
import { numberWord } from '../template.ts';

const TOWNS = [
  'Margate',
  'Hebden Bridge',
  'Ludlow',
  'Stroud',
  'Whitby',
  'Penzance',
  'Leith',
  'Frome',
  'Totnes',
  'Kendal',
  'Aberystwyth',
  'Hexham',
] as const;

const CITIES = [
  'London',
  'Manchester',
  'Edinburgh',
  'Bristol',
  'Glasgow',
  'Leeds',
  'Cardiff',
  'Belfast',
] as const;

function person(rng: Rng, key: string): Record<string, string> {
  const name = personName(rng, rng.chance(0.8) ? 'en' : 'west-europe');
  return { [key]: name, [`${key}Short`]: shortName(name) };
}

// ---------------------------------------------------------------------------------------------- food

const DISHES = [
  {
    dish: 'roast squash wedges',
    items: ['1 small squash, cut into wedges', '2 tbsp olive oil', 'Salt and black pepper'],
    method:
      'Roast the squash at 200C for 35-40 minutes, turning once, until soft in the middle and caramelised at the edges.',
  },
  {
    dish: 'a one-pan chicken traybake',
    items: ['4 chicken thighs, skin on', '500g new potatoes, halved', '1 red onion, cut into wedges'],
    method:
      'Tip everything into a roasting tin, season well and roast at 200C for 40 minutes, until the skin is crisp.',
  },
  {
    dish: 'lemon risotto',
    items: ['300g risotto rice', '1 litre hot vegetable stock', '1 unwaxed lemon', '1 onion, finely chopped'],
    method:
      'Soften the onion, stir in the rice, then add the stock a ladle at a time, stirring, for about 20 minutes. Finish with the lemon zest and juice.',
  },
  {
    dish: 'braised white beans',
    items: ['2 tins white beans, drained', '3 garlic cloves, sliced', '200ml vegetable stock'],
    method:
      'Warm the garlic gently in oil, add the beans and stock and simmer for 15 minutes, crushing a few beans to thicken the sauce.',
  },
  {
    dish: 'a soba noodle salad',
    items: ['200g soba noodles', '1 cucumber, cut into matchsticks', '2 spring onions, sliced'],
    method: 'Cook the noodles, rinse them under cold water until cool, then toss with the vegetables.',
  },
  {
    dish: 'baked feta and tomatoes',
    items: ['1 block feta', '400g cherry tomatoes', '2 tbsp olive oil'],
    method:
      'Nestle the feta among the tomatoes, drizzle with oil and bake at 200C for 25 minutes, until the tomatoes burst.',
  },
  {
    dish: 'spiced lentil soup',
    items: ['250g red lentils', '1 onion, chopped', '1 tsp ground cumin', '1.2 litres stock'],
    method:
      'Soften the onion with the cumin, add the lentils and stock and simmer for 25 minutes, then blend until smooth.',
  },
  {
    dish: 'quick yoghurt flatbreads',
    items: ['250g self-raising flour', '250g natural yoghurt', 'A pinch of salt'],
    method:
      'Mix the flour and yoghurt into a soft dough, divide into six, roll thin and cook in a hot dry pan for two minutes a side.',
  },
];

const TWISTS = [
  {
    twist: 'brown butter and sage',
    extra: ['50g butter', 'A handful of sage leaves'],
    finish:
      'Melt the butter until it smells nutty, add the sage for a few seconds, then spoon it over just before serving.',
  },
  {
    twist: 'chilli and lime',
    extra: ['1 red chilli, finely chopped', '1 lime'],
    finish: 'Mix the chilli with the lime zest and juice and scatter it over at the end.',
  },
  {
    twist: 'crispy capers',
    extra: ['2 tbsp capers, patted dry'],
    finish:
      'Fry the capers in a little hot oil until they open and crisp, then drain on kitchen paper and scatter over.',
  },
  {
    twist: 'toasted hazelnuts',
    extra: ['50g hazelnuts, roughly chopped'],
    finish: 'Toast the hazelnuts in a dry pan until golden and fragrant, and sprinkle them over to serve.',
  },
  {
    twist: 'miso and sesame',
    extra: ['1 tbsp white miso', '1 tbsp sesame seeds, toasted'],
    finish:
      'Whisk the miso with a splash of warm water and a little oil, drizzle it over and finish with the sesame seeds.',
  },
  {
    twist: 'a green herb sauce',
    extra: ['A big bunch of parsley and mint', '1 garlic clove', '4 tbsp olive oil'],
    finish: 'Blitz the herbs, garlic and oil into a loose sauce and spoon it over generously.',
  },
];

const foodRecipe: StoryKind = {
  id: 'food-recipe',
  section: 'food',
  facts(rng) {
    const d = rng.pick(DISHES);
    const t = rng.pick(TWISTS);
    return {
      dish: d.dish,
      method: d.method,
      twist: t.twist,
      finish: t.finish,
      minutes: rng.pick(['30', '40', '45', '50']),
    };
  },
  identity: ['dish'],
  headline: [
    '{Dish} with {twist}',
    'A weeknight recipe: {dish} with {twist}',
    'Supper sorted: {dish} with {twist}',
  ],
  dek: [
    'Cheap, forgiving and on the table in well under an hour.',
    'A midweek supper that tastes like the weekend.',
  ],
  lede: [
    '{Dish} is one of those recipes that earns its place in the weekly rotation: cheap, forgiving and ready in well under an hour. A finish of {twist} turns it into something you would happily serve to friends.',
    'There are evenings when cooking feels like a chore, and this recipe is for exactly those. {Dish} does most of the work by itself, and {twist} brings it to life at the last minute.',
  ],
  body: [
    '{Method}',
    '{Finish}',
    'Taste before serving and adjust the seasoning; a squeeze of lemon or a pinch of salt often makes more difference than any extra ingredient.',
    'If you are cooking for fewer people, the recipe halves easily, and leftovers keep well in the fridge for a couple of days.',
    'Serve with [a crisp green salad|warm bread|steamed rice|a spoonful of yoghurt] and something cold to drink.',
  ],
  list: {
    heading: 'You will need',
    items(facts) {
      const dish = DISHES.find((d) => d.dish === facts.dish);
      const twist = TWISTS.find((t) => t.twist === facts.twist);
      return [...(dish?.items ?? []), ...(twist?.extra ?? [])];
    },
  },
  closing: ['Serves four. Total time: about {minutes} minutes.'],
  photo: ['{Dish} with {twist}'],
  art: { scenes: ['table'], palettes: ['sand', 'rose', 'dawn', 'forest', 'teal'], word: null },
};

const MAKERS = [
  {
    maker: 'baker reviving heritage grains',
    noun: 'bakery',
    product: 'loaves',
    detail:
      'The flour comes from old wheat varieties grown by a handful of nearby farms. It is harder to work with than modern flour, but the bread has a depth of flavour that regulars say they cannot find anywhere else.',
  },
  {
    maker: 'cheesemaker ageing wheels in a railway tunnel',
    noun: 'dairy',
    product: 'cheeses',
    detail:
      'The disused tunnel stays cool and damp all year round, which turns out to be ideal for slowly maturing cheese. Hundreds of wheels line the walls, each turned by hand once a week.',
  },
  {
    maker: 'beekeeper with hives on a car-park roof',
    noun: 'apiary',
    product: 'honey',
    detail:
      'The hives sit on the top deck of a multi-storey car park, and the bees forage in gardens, parks and railway verges across the town. The honey changes colour and flavour with the seasons.',
  },
  {
    maker: 'coffee roaster working from an old fire station',
    noun: 'roastery',
    product: 'coffee',
    detail:
      'The roaster sits where the fire engine used to be parked, and on roasting days the smell drifts halfway down the high street. Beans are bought directly from a small number of growers.',
  },
  {
    maker: 'fishmonger who delivers by cargo bike',
    noun: 'fish shop',
    product: 'fish',
    detail:
      'Fish comes straight from the day boats in the morning and is on doorsteps by lunchtime, delivered on a cargo bike with a cool box strapped to the front.',
  },
  {
    maker: 'pickle maker turning surplus veg into jars of gold',
    noun: 'kitchen',
    product: 'pickles',
    detail:
      'Most of the vegetables are surplus from local growers: too big, too small or too oddly shaped for the shops. Nothing is wasted, and the recipes change with whatever arrives that week.',
  },
];

const foodMaker: StoryKind = {
  id: 'food-maker',
  section: 'food',
  facts(rng) {
    return { town: rng.pick(TOWNS), ...rng.pick(MAKERS), ...person(rng, 'name') };
  },
  identity: ['maker'],
  headline: ['Meet the {town} {maker}', "{Town}'s {maker}", 'The {maker} putting {town} on the food map'],
  dek: ['A small business built on stubbornness, early mornings and very good {product}.'],
  lede: [
    '{Name} started small: a few {product} sold to neighbours, a table at the Saturday market. Today the {noun} supplies [cafes|restaurants|shops] across the region, and people travel to {town} just to buy its {product}.',
  ],
  body: [
    '{Detail}',
    "'I never had a business plan. I had a problem I wanted to solve and a lot of stubbornness,' {nameShort} says, laughing.",
    "The work is physical and the hours are long. 'People see the nice photos. They don't see the 5am starts or the days when everything goes wrong,' {nameShort} says.",
    'Prices are higher than at the supermarket, and {nameShort} makes no apology for that. Paying suppliers fairly and using good ingredients costs money.',
    'There are plans to grow, but slowly: a second pair of hands, perhaps, and a few more stockists. Anything more, {nameShort} says, would change the thing that makes it special.',
  ],
  quote: [
    "'I never had a business plan. I had a problem I wanted to solve and a lot of stubbornness.' -- {name}",
  ],
  closing: ["Look out for the {product} at {town}'s Saturday market, or order online."],
  photo: ['Fresh {product} at the {noun} in {town}', '{Name} at work in {town}'],
  art: { scenes: ['table', 'bloom'], palettes: ['sand', 'dawn', 'rose'], word: '{town}' },
};

const GLUTS = [
  {
    ing: 'a glut of courgettes',
    short: 'courgettes',
    verb: 'are',
    ideas: [
      'Grate into fritters with feta and dill',
      'Slice thinly and dress raw with lemon and olive oil',
      'Cook slowly with garlic until jammy, then toss through pasta',
      'Bake into a loaf cake with lemon zest',
      'Griddle in thick slices and top with yoghurt and chilli',
      'Blend into a chilled soup with mint',
    ],
  },
  {
    ing: 'stale bread',
    short: 'stale bread',
    verb: 'is',
    ideas: [
      'Tear into chunks and toast as croutons',
      'Make a bread salad with ripe tomatoes',
      'Blitz into crumbs and fry with garlic to scatter over pasta',
      'Bake into a savoury bread pudding with cheese',
      'Soak in egg and milk for French toast',
      'Use it to thicken a tomato soup',
    ],
  },
  {
    ing: 'a jar of tahini',
    short: 'tahini',
    verb: 'is',
    ideas: [
      'Whisk with lemon and water into a dressing',
      'Swirl into brownie batter',
      'Spread on toast with honey',
      'Blend into a banana smoothie',
      'Make a quick noodle sauce with soy and chilli',
      'Drizzle over roast vegetables',
    ],
  },
  {
    ing: 'leftover rice',
    short: 'leftover rice',
    verb: 'is',
    ideas: [
      'Fry with eggs, peas and spring onions',
      'Shape into rice balls with a savoury filling',
      'Simmer with milk into a quick rice pudding',
      'Add to a soup to make it a meal',
      'Press into a tin and bake as a crisp rice cake',
      'Toss into a salad with herbs and lemon',
    ],
  },
  {
    ing: 'overripe bananas',
    short: 'overripe bananas',
    verb: 'are',
    ideas: [
      'Bake a banana bread',
      'Freeze in slices for instant ice cream',
      'Mash into pancake batter',
      'Blend into a smoothie',
      'Caramelise in a pan and serve with yoghurt',
      'Stir into porridge',
    ],
  },
  {
    ing: 'a bag of lemons',
    short: 'lemons',
    verb: 'are',
    ideas: [
      'Make a quick lemon curd',
      'Preserve them in salt',
      'Rub the zest into sugar for baking',
      'Squeeze into a sharp salad dressing',
      'Roast in slices alongside chicken',
      'Make a jug of still lemonade',
    ],
  },
];

const foodGlut: StoryKind = {
  id: 'food-glut',
  section: 'food',
  facts(rng) {
    const g = rng.pick(GLUTS);
    const count = rng.int(4, 6);
    return { ing: g.ing, short: g.short, verb: g.verb, count: String(count), n: numberWord(count) };
  },
  identity: ['ing'],
  headline: ['{N} ways to use up {ing}', 'What to do with {ing}: {count} ideas'],
  dek: [
    'Waste less, spend less and cook something new.',
    'Simple ideas, most of them ready in half an hour.',
  ],
  lede: [
    'We have all been there: {ing}, a busy week and the nagging feeling that something is about to go to waste. The good news is that {short} {verb} more versatile than you might think.',
  ],
  body: [
    'Before you start, a little planning helps. Decide what you will cook in the next couple of days and what can be frozen for later.',
    'Most of these ideas take less than half an hour and use ingredients you probably already have in the cupboard.',
    'The list below is a starting point rather than a rulebook. Swap herbs, spices and cheeses for whatever you have to hand.',
    'Cutting food waste at home is one of the simplest ways to save money, and it tends to make for more inventive cooking too.',
  ],
  list: {
    heading: 'The ideas',
    items: (facts, rng) =>
      rng.sampleInOrder(GLUTS.find((g) => g.ing === facts.ing)?.ideas ?? [], Number(facts.count)),
  },
  closing: ['Got a favourite way to use up {short}? Write to us and we may feature it in a future issue.'],
  photo: ['{Ing}, ready to be turned into something new'],
  art: { scenes: ['table'], palettes: ['forest', 'dawn', 'sand', 'teal'], word: null },
};

// ---------------------------------------------------------------------------------------------- style

const styleReturn: StoryKind = {
  id: 'style-return',
  section: 'style',
  facts(rng) {
    return {
      garment: rng.pick([
        'cardigan',
        'loafer',
        'trench coat',
        'waistcoat',
        'boat shoe',
        'silk scarf',
        'chore jacket',
        'pleated skirt',
        'knitted tank top',
      ]),
      city: rng.pick(CITIES),
      ...person(rng, 'stylist'),
    };
  },
  identity: ['garment'],
  headline: [
    'The return of the {garment}',
    'Why the {garment} is back, and how to wear it now',
    'The {garment}, reconsidered',
  ],
  dek: ['Once filed under "sensible", it is now everywhere. Here is how to make it feel new.'],
  lede: [
    'For years the {garment} was filed under "sensible": something a favourite teacher wore, or a grandparent. This season it is everywhere, from the catwalks to the school run.',
  ],
  body: [
    'Part of the appeal is practical. The {garment} is easy to wear, easy to repair and suits almost everyone, which counts for a lot when people are buying less and choosing more carefully.',
    "'People want clothes that last, and clothes that don't look like they're trying too hard,' says {stylist}, a stylist based in {city}. 'The {garment} does both.'",
    'The new versions are a little more relaxed than the originals, in softer fabrics and colours that move beyond navy and camel towards [olive, rust and cream|chocolate brown and sky blue|butter yellow and grey].',
    'Vintage shops report that older pieces are selling quickly, and some have started setting them aside for regular customers.',
    'The trick is to wear it without irony: with jeans and trainers during the week, with something sharper at the weekend.',
  ],
  quote: [
    "'People want clothes that last, and clothes that don't look like they're trying too hard.' -- {stylist}",
  ],
  closing: [
    'Whatever you choose, buy the best quality you can afford. A good {garment} should outlast the trend by years.',
  ],
  photo: ['A {garment} styled for the season'],
  art: { scenes: ['bloom', 'orbs'], palettes: ['rose', 'plum', 'sand', 'slate'], word: null },
};

const CARE = [
  {
    item: 'wool jumpers',
    tips: [
      'Wash by hand in cool water, or on the wool cycle',
      'Dry flat on a towel, never on a radiator',
      'Fold rather than hang, to keep the shape',
      'Remove bobbles with a fabric comb',
      'Store with cedar blocks to deter moths',
    ],
  },
  {
    item: 'leather boots',
    tips: [
      'Brush off dirt after every wear',
      'Condition the leather every few months',
      'Use shoe trees to keep the shape',
      'Let wet boots dry slowly, away from direct heat',
      'Have them resoled before the welt wears through',
    ],
  },
  {
    item: 'linen shirts',
    tips: [
      'Wash at low temperatures with a mild detergent',
      'Hang to dry while still damp',
      'Iron while slightly damp, or simply embrace the creases',
      'Avoid bleach, which weakens the fibres',
      'Store loosely folded in a breathable bag',
    ],
  },
  {
    item: 'jeans',
    tips: [
      'Wash inside out, and as rarely as you can',
      'Use cold water to keep the colour',
      'Air-dry rather than tumble-dry',
      'Mend small holes before they grow',
      'Spot-clean marks instead of washing the whole pair',
    ],
  },
  {
    item: 'cashmere',
    tips: [
      'Hand-wash with a gentle wool shampoo',
      'Never wring; press the water out in a towel',
      'Give it a day of rest between wears',
      'Use a cashmere comb for pilling',
      'Store folded, never on a hanger',
    ],
  },
  {
    item: 'silver jewellery',
    tips: [
      'Store pieces separately to avoid scratches',
      'Keep them out of damp bathrooms',
      'Polish gently with a soft cloth',
      'Take them off before swimming or cleaning',
      'Wear them often: regular wear helps slow tarnish',
    ],
  },
];

const styleCare: StoryKind = {
  id: 'style-care',
  section: 'style',
  facts(rng) {
    return { item: rng.pick(CARE).item, city: rng.pick(CITIES), ...person(rng, 'expert') };
  },
  identity: ['item'],
  headline: [
    'How to make your {item} last for years',
    "A beginner's guide to caring for {item}",
    'Love your {item}: a care guide',
  ],
  dek: ['The most sustainable wardrobe is the one you already own.'],
  lede: [
    'The most sustainable things in your wardrobe are the ones you already own, and a little care goes a long way. Here is how to keep your {item} looking good for years rather than seasons.',
  ],
  body: [
    "'Most damage happens in the wash, not while you are wearing something,' says {expert}, who runs a repair studio in {city}.",
    'Good care does not have to mean more work. Often it means doing less: washing less often, at lower temperatures, and letting things dry naturally.',
    'It is also worth learning a few basic repairs. Sewing on a button or darning a small hole takes minutes and can add years to a favourite piece.',
    'If something is beyond you, find a local repairer. Many are busier than ever as people choose to mend rather than replace.',
  ],
  list: {
    heading: 'The essentials',
    items: (facts) => CARE.find((c) => c.item === facts.item)?.tips ?? [],
  },
  closing: ['Treat them well, and they will repay you for years.'],
  photo: ['A well-loved collection of {item}'],
  art: { scenes: ['orbs', 'bloom'], palettes: ['slate', 'sand', 'rose'], word: null },
};

const styleStudio: StoryKind = {
  id: 'style-studio',
  section: 'style',
  facts(rng) {
    return {
      city: rng.pick(CITIES),
      product: rng.pick([
        'trainers from old sailcloth',
        'hats entirely by hand',
        'knitwear from undyed British wool',
        'ceramic buttons',
        'bags cut from retired tents',
        'jewellery cast from recycled silver',
      ]),
      ...person(rng, 'founder'),
    };
  },
  identity: ['product'],
  headline: ['The {city} studio making {product}', 'Inside the {city} workshop making {product}'],
  dek: ['Small batches, local materials and a waiting list that keeps growing.'],
  lede: [
    'In a small studio on the edge of {city}, a team of [three|four|five] is making {product}, and struggling to keep up with demand.',
  ],
  body: [
    'The business was started by {founder}, who [trained as a designer|worked in a factory|taught textiles] before deciding to make something of their own.',
    "'Everything we make is made in this room. If something goes wrong, we know exactly who to ask,' {founderShort} says.",
    'Materials are sourced as close to home as possible, and offcuts are kept for smaller pieces or given to local schools.',
    'Each piece takes [hours|days] to finish, which is reflected in the price. Customers, {founderShort} says, understand that they are paying for time and skill.',
    'Orders now arrive from as far away as Japan and Canada, though the studio has no plans to move production elsewhere.',
  ],
  closing: ['The studio opens its doors to visitors on the first Saturday of every month.'],
  photo: ['Work in progress at the studio in {city}'],
  art: { scenes: ['orbs', 'bloom'], palettes: ['plum', 'slate', 'teal'], word: '{city}' },
};

// ---------------------------------------------------------------------------------------------- art & culture

const VENUES = [
  'the Harbour Arts Centre',
  'the Old Mill Gallery',
  'the Quayside Gallery',
  'the Northlight Museum',
  'the Glasshouse Gallery',
];

const cultureExhibition: StoryKind = {
  id: 'culture-exhibition',
  section: 'art-culture',
  facts(rng) {
    return {
      medium: rng.pick([
        'large-scale textiles',
        'paper cut-outs',
        'underwater photography',
        'kinetic sculpture',
        'botanical drawing',
        'stoneware ceramics',
        'stained glass',
      ]),
      venue: rng.pick(VENUES),
      city: rng.pick(CITIES),
      adj: rng.pick(['quietly remarkable', 'joyful', 'ambitious', 'tender']),
      ...person(rng, 'artist'),
    };
  },
  identity: ['medium'],
  headline: [
    "Inside {artist}'s {adj} exhibition of {medium}",
    'Review: {artist} at {venue}',
    '{Artist} brings {medium} to {venue}',
  ],
  dek: [
    'A first major show that rewards anyone willing to slow down.',
    'A few missteps, but a great deal to love.',
  ],
  lede: [
    'Walk into {venue} in {city} this month and you will find {medium} filling rooms that are usually hushed and white. It is the first major show for {artist}, and it is [quietly remarkable|a joy|full of surprises].',
  ],
  body: [
    '{ArtistShort} has spent [a decade|the better part of fifteen years] working in {medium}, much of it in a small studio with little attention from the wider art world.',
    "'I wanted people to slow down. To stand in front of something for longer than it takes to photograph it,' {artistShort} says.",
    'The show is arranged loosely by season, moving from pale, sparse early work to a final room that is dense with colour.',
    'There are a few missteps. A section of newer pieces feels rushed, and the wall texts sometimes explain too much. But these are small complaints.',
    'Families are well catered for, with a trail for children and a hands-on table where visitors can try the techniques for themselves.',
  ],
  quote: ["'I wanted people to slow down.' -- {artist}"],
  closing: [
    'The exhibition runs until [the end of next month|early spring]. Entry is free, with a suggested donation.',
  ],
  photo: ['A visitor looks at work by {artist} at {venue}, {city}'],
  art: { scenes: ['orbs', 'bloom'], palettes: ['plum', 'rose', 'night', 'teal', 'slate'], word: null },
};

const BOOKS = [
  {
    title: 'The Salt Orchard',
    setting: 'a windswept coastal village',
    premise: 'a retired ferry captain who inherits an apple orchard nobody wants',
    subject: 'second chances',
  },
  {
    title: 'A House Without Clocks',
    setting: 'a crumbling Edinburgh townhouse',
    premise: 'three generations of one family over a single snowed-in week',
    subject: 'family secrets',
  },
  {
    title: 'Everything the River Kept',
    setting: 'a mill town in the Pennines',
    premise: 'a young archivist cataloguing the belongings of a flooded village',
    subject: 'memory and place',
  },
  {
    title: 'A Year of Borrowed Weather',
    setting: 'a hill farm in mid Wales',
    premise: 'a meteorologist who moves in with her estranged brother',
    subject: 'siblings and solitude',
  },
  {
    title: 'The Almanac of Small Repairs',
    setting: 'a repair shop in south London',
    premise: 'a watchmender whose customers bring in more than broken things',
    subject: 'kindness between strangers',
  },
  {
    title: 'Lanterns Over Kestrel Bay',
    setting: 'an invented island off the Scottish coast',
    premise: 'the summer a travelling theatre company arrives',
    subject: 'community and performance',
  },
  {
    title: 'What the Ferryman Counted',
    setting: 'a river crossing in the 1950s',
    premise: 'a ferryman who keeps a ledger of everyone he carries',
    subject: 'ordinary lives',
  },
];

const cultureBook: StoryKind = {
  id: 'culture-book',
  section: 'art-culture',
  facts(rng) {
    return {
      ...rng.pick(BOOKS),
      genre: rng.pick(['debut novel', 'second novel', 'new novel']),
      verdict: rng.pick(['a quiet triumph', 'tender, funny and wise', 'a book to press on friends']),
      ...person(rng, 'author'),
    };
  },
  identity: ['title'],
  headline: [
    'Review: {title} by {author}',
    "{Author}'s {genre} is {verdict}",
    '{Author} on {title} and writing about {subject}',
  ],
  dek: ['A book that takes its time, and is all the better for it.'],
  lede: ['{Title}, the {genre} from {author}, is set in {setting} and follows {premise}.'],
  body: [
    'It is a book that takes its time. {AuthorShort} is more interested in small moments than big plot turns, and the pleasure lies in the details: a kettle left to boil dry, a letter read twice, an argument that is really about something else.',
    'The writing is precise without being showy. Sentences are short, dialogue is sparing, and there are passages that ask to be read aloud.',
    "'I wanted to write about {subject} without making it sound like a lesson,' {authorShort} told {siteName}. 'Most of life happens in between the big events.'",
    'Not everything works. A late subplot feels underdeveloped, and one or two characters are sketched rather than drawn. But the central relationship is handled with real tenderness.',
    'Readers who like their fiction quiet, humane and a little melancholy will find a great deal to love here.',
  ],
  quote: ["'Most of life happens in between the big events.' -- {author}"],
  closing: ['{Title} is published this month in hardback and as an ebook.'],
  photo: ['{Title} by {author}'],
  art: { scenes: ['orbs', 'ridges'], palettes: ['plum', 'night', 'rose', 'teal'], word: '{title}' },
};

const BANDS = [
  { band: 'Velvet Allotment', album: 'Low Tide Radio', genre: 'folk' },
  { band: 'The Borrowed Tides', album: 'Small Weather', genre: 'indie-pop' },
  { band: 'Marigold Static', album: 'Northern Signals', genre: 'electronic' },
  { band: 'Hollow Pier', album: 'Salt on the Window', genre: 'post-rock' },
  { band: 'Tin Gull', album: 'Harbour Songs', genre: 'jazz' },
  { band: 'The Quiet Foundry', album: 'Sparks and Embers', genre: 'folk-rock' },
];

const cultureMusic: StoryKind = {
  id: 'culture-music',
  section: 'art-culture',
  facts(rng) {
    return {
      ...rng.pick(BANDS),
      size: rng.pick(['trio', 'quartet', 'five-piece']),
      city: rng.pick(CITIES),
      ...person(rng, 'member'),
    };
  },
  identity: ['band'],
  headline: [
    '{Band} on their new album and staying independent',
    'Review: {band}, {album}',
    '{Band}: the {genre} {size} doing things the slow way',
  ],
  dek: ['Years of small venues and self-booked tours are starting to pay off.'],
  lede: [
    'There is a particular hush that falls over a room when {band} start to play. The {genre} {size} have spent years building a following the slow way, one small venue at a time, and their new album, {album}, suggests the patience is paying off.',
  ],
  body: [
    'The songs were written over [a winter|two summers] in a rented cottage and recorded mostly live, with the band playing together in a single room.',
    "'We wanted it to sound like us on a good night, not like a machine made it,' says {member}, who writes most of the lyrics.",
    'The result is warm and a little rough around the edges, in the best way. Standouts include [the opener|the title track|a slow-burning closer] and a [haunting|joyful] duet.',
    "The band still run their own label and book many of their own shows, a choice {memberShort} describes as 'exhausting, but worth it'.",
    'A tour of [village halls|small theatres|record shops] across the country begins next month, and several dates have already sold out.',
  ],
  closing: ['{Album} is out now on vinyl and streaming services.'],
  photo: ['{Band} photographed in {city}'],
  art: { scenes: ['orbs', 'skyline'], palettes: ['night', 'plum', 'dawn'], word: '{band}' },
};

// ---------------------------------------------------------------------------------------------- wellbeing

const WELL_ART = {
  scenes: ['bloom', 'orbs', 'ridges'],
  palettes: ['teal', 'forest', 'rose', 'dawn'],
  word: null,
} as const;

const wellHabit: StoryKind = {
  id: 'well-habit',
  section: 'wellbeing',
  facts(rng) {
    const minutes = rng.pick([10, 15, 20]);
    return {
      activity: rng.pick([
        'stretching',
        'walking without my phone',
        'journalling',
        'gardening',
        'reading before bed',
        'doing nothing at all',
        'practising a language',
      ]),
      n: String(minutes),
      nWord: numberWord(minutes),
      ...person(rng, 'expert'),
    };
  },
  identity: ['activity'],
  headline: [
    'What {n} minutes of {activity} a day did for me',
    'I tried {n} minutes of {activity} a day for a month',
    'The small habit that changed my month: {activity}',
  ],
  dek: [
    'It is not a cure for anything. But it was a useful reminder of how much of each day is ours to shape.',
  ],
  lede: [
    'It started as an experiment. For one month I would spend {nWord} minutes a day {activity}, no matter how busy the day or how little I felt like it. I did not expect it to change much.',
  ],
  body: [
    'The first week was awkward. I forgot twice, and one evening I did it grudgingly in the kitchen while the pasta boiled. But by the second week it had become something I looked forward to.',
    'I noticed small things first. I was a little calmer in the mornings, a little less likely to reach for my phone the moment I woke up.',
    "{Expert}, a coach who works with people trying to build new routines, was not surprised. 'Small, regular habits are easier to keep than grand plans. The trick is to make them so easy that skipping feels silly,' {expertShort} says.",
    'None of this is a cure for anything, and I would be wary of anyone who says otherwise. But it was a useful reminder that I have more control over my days than I sometimes think.',
    'The hardest part was not the habit itself but protecting the time for it. Meetings, messages and chores all have a way of expanding to fill any gap.',
  ],
  quote: ['Small, regular habits are easier to keep than grand plans. -- {expert}'],
  closing: [
    'The month is over, and I have kept going. Not every day, but most days, and that feels like enough.',
  ],
  photo: ['Making time for {activity}'],
  art: WELL_ART,
};

const GUIDES = [
  {
    topic: 'sleeping better in summer',
    tips: [
      'Keep curtains closed during the hottest part of the day',
      'Swap the duvet for a cotton or linen sheet',
      'Keep a glass of water by the bed',
      'Open windows on opposite sides of your home in the evening to let air through',
      'Keep to the same wake-up time, even at weekends',
    ],
  },
  {
    topic: 'taking a proper lunch break',
    tips: [
      'Put it in your calendar like any other meeting',
      'Eat away from your desk, even if only in another room',
      'Step outside for ten minutes of daylight',
      'Leave your phone behind, or at least in your pocket',
      'Suggest a regular lunch with a colleague',
    ],
  },
  {
    topic: 'decluttering a small flat',
    tips: [
      'Start with one drawer, not one room',
      'Keep a bag by the door for things to donate',
      'Give every object a home',
      'Be honest about things kept only out of guilt',
      'Do a five-minute tidy at the same time every day',
    ],
  },
  {
    topic: 'getting back into running',
    tips: [
      'Start with run-walk intervals',
      'Run slowly enough to hold a conversation',
      'Increase your distance gradually from week to week',
      'Invest in comfortable, well-fitting shoes',
      'Find a friend or a local group to keep you going',
    ],
  },
  {
    topic: 'making friends as an adult',
    tips: [
      'Say yes to invitations, even small ones',
      'Join something that meets regularly',
      'Be the one who suggests meeting again',
      'Ask questions, and remember the answers',
      'Be patient: friendships take time to grow',
    ],
  },
  {
    topic: 'a calmer morning routine',
    tips: [
      'Lay out clothes and pack bags the night before',
      'Get up ten minutes earlier than you need to',
      'Drink a glass of water before your first coffee',
      'Leave messages until after breakfast',
      'Spend a few minutes outside if you can',
    ],
  },
];

const wellGuide: StoryKind = {
  id: 'well-guide',
  section: 'wellbeing',
  facts(rng) {
    return { topic: rng.pick(GUIDES).topic, ...person(rng, 'expert') };
  },
  identity: ['topic'],
  headline: ['A gentle guide to {topic}', 'The no-fuss guide to {topic}'],
  dek: ['Small, realistic changes that are easy to start and easier to keep.'],
  lede: [
    'Advice about {topic} tends to come in two flavours: the impossibly ambitious and the frankly obvious. This guide aims for somewhere in between.',
  ],
  body: [
    'The most important thing is to begin where you are. There is no point designing a perfect routine that you will abandon within a week.',
    "{Expert}, who [writes about|teaches|coaches people on] everyday wellbeing, suggests picking just one change at a time. 'Once it feels automatic, add the next. It is slower, but it works,' {expertShort} says.",
    'Be kind to yourself when things slip. A missed day is not a failure; it is simply a day.',
    'If you have any health concerns, talk to a doctor or another qualified professional before making significant changes.',
  ],
  list: {
    heading: 'Where to start',
    items: (facts) => GUIDES.find((g) => g.topic === facts.topic)?.tips ?? [],
  },
  closing: ['Try one idea this week and see how it feels. You can always add more later.'],
  photo: ['A quiet moment at home', 'Finding a little time for yourself'],
  art: WELL_ART,
};

const GROUPS = [
  { group: 'a walking club for new parents', short: 'walking club' },
  { group: 'a repair cafe', short: 'repair cafe' },
  { group: 'a choir for people who say they cannot sing', short: 'choir' },
  { group: 'a library of tools', short: 'tool library' },
  { group: 'a Sunday morning swimming group', short: 'swimming group' },
  { group: 'a community allotment', short: 'allotment' },
];

const wellCommunity: StoryKind = {
  id: 'well-community',
  section: 'wellbeing',
  facts(rng) {
    return { ...rng.pick(GROUPS), town: rng.pick(TOWNS), ...person(rng, 'founder') };
  },
  identity: ['group'],
  headline: [
    'How {group} in {town} is bringing people together',
    'The {town} {short} where strangers become neighbours',
  ],
  dek: ['No membership fee, no experience needed. Just turn up.'],
  lede: [
    'Every [Tuesday evening|Saturday morning|Sunday morning], {group} meets in {town}. What began as a handful of people has grown into one of the busiest fixtures in the local calendar.',
  ],
  body: [
    'The idea came from {founder}, who moved to {town} a few years ago and found it harder than expected to get to know people.',
    "'Everyone says they want more community, but nobody wants to be the first to knock on a door. This gives people a reason to show up,' {founderShort} says.",
    'There is no membership fee, though donations help cover the cost of [the hall|equipment|tea and biscuits].',
    'Regulars range in age from their twenties to their eighties, and many say the friendships they have made extend well beyond the group itself.',
  ],
  quote: [
    'Nobody wants to be the first to knock on a door. This gives people a reason to show up. -- {founder}',
  ],
  closing: ['New members are always welcome. Just turn up.'],
  photo: ['Members of the {short} in {town}'],
  art: WELL_ART,
};

// ---------------------------------------------------------------------------------------------- events

const PICKS = [
  'A late opening at the city museum, with live music and a bar',
  'A riverside food market with more than forty stalls',
  'An outdoor screening of a classic film (bring a blanket)',
  'A family workshop on building and flying kites',
  "A guided walk through the old town's hidden courtyards",
  'A record fair with dealers from across the country',
  'Free lunchtime organ recitals',
  'A print fair showcasing local illustrators',
  'A ceilidh in the town hall, with a caller for beginners',
];

const eventsGuide: StoryKind = {
  id: 'events-guide',
  section: 'whats-on',
  facts(rng) {
    const count = rng.int(4, 6);
    return {
      city: rng.pick(CITIES),
      periodIn: rng.pick([
        'this weekend',
        'over half term',
        'over the bank holiday',
        'in late summer',
        'this autumn',
      ]),
      count: String(count),
      n: numberWord(count),
    };
  },
  identity: ['city', 'periodIn'],
  headline: ['{N} things to do in {city} {periodIn}', "What's on in {city} {periodIn}: our {count} picks"],
  dek: ['Markets, music, late openings and a few things you might not have thought of.'],
  lede: [
    'Looking for plans {periodIn}? {City} has plenty going on, from [free family events|late-night openings|markets and music] to a few things you might not have thought of. Here are our picks.',
  ],
  body: [
    'Many events are free, but some need booking in advance, so it is worth checking before you set out.',
    'Public transport will be busy, especially in the evenings. Consider walking or cycling between venues where you can.',
    'If the weather turns, most of the indoor venues have cafes where you can wait out a shower.',
    'As always, details can change at short notice, so check with organisers before you travel.',
  ],
  list: { heading: 'Our picks', items: (facts, rng) => rng.sampleInOrder(PICKS, Number(facts.count)) },
  closing: ['Have we missed something? Tell us and we may include it next time.'],
  photo: ['An evening crowd in central {city}'],
  art: { scenes: ['skyline', 'orbs'], palettes: ['night', 'plum', 'dawn', 'teal'], word: '{city}' },
};

const eventsFestival: StoryKind = {
  id: 'events-festival',
  section: 'whats-on',
  facts(rng) {
    return {
      town: rng.pick(TOWNS),
      festival: rng.pick([
        'festival of light',
        'small press fair',
        'winter food festival',
        'folk weekend',
        'kite festival',
        'open studios fortnight',
      ]),
      ...person(rng, 'organiser'),
    };
  },
  identity: ['town', 'festival'],
  headline: [
    "{Town}'s {festival} returns, bigger than ever",
    'The {town} {festival} is back: what to expect',
    "A first look at this year's {town} {festival}",
  ],
  dek: ['More events, more venues, and the same small-town feel.'],
  lede: [
    'The {town} {festival} returns [next month|in a few weeks], with organisers promising more events, more venues and, for the first time, [a dedicated family day|late-night events|a free shuttle bus].',
  ],
  body: [
    'What began [a decade|fifteen years] ago as a small gathering run by volunteers now draws visitors from across the region.',
    "'We have grown, but we have tried hard not to lose the feel of the early years,' says {organiser}, the festival's director. 'It should still feel like the whole town is taking part.'",
    'Tickets for the headline events are on sale now, and many smaller events are free.',
    'Local businesses say the festival has become one of the most important weekends of their year, bringing in visitors at a time when the town would otherwise be quiet.',
    'Accessibility has been a priority this year, with step-free routes, quiet spaces and British Sign Language interpretation at several events.',
  ],
  closing: ["The full programme is published on the festival's website."],
  photo: ["Visitors at last year's {festival} in {town}"],
  art: { scenes: ['orbs', 'bloom', 'skyline'], palettes: ['dawn', 'plum', 'rose', 'night'], word: '{town}' },
};

// ---------------------------------------------------------------------------------------------- site

export const lifeSite: SiteSpec = {
  slug: 'life',
  name: 'Lantern',
  tagline: 'Food, style and the art of living well',
  language: 'en-GB',
  timeZone: 'Europe/London',
  utcOffsetMinutes: 0,
  primaryColor: '#6b2d5c',
  accentColor: '#a63d1a',
  publisher: 'Meridian Media Inc.',
  sections: [
    {
      slug: 'food',
      name: 'Food',
      description: 'Recipes, producers and ideas for everyday cooking.',
      weight: 1.3,
      filler: [
        'All our recipes are tested in our own kitchen, and we always give metric measurements.',
        'Seasonal produce tastes better and is usually cheaper, so it is worth shopping around the market.',
        'Good cooking is mostly patience and a decent pan; the rest can be learned.',
      ],
    },
    {
      slug: 'style',
      name: 'Style',
      description: 'Clothes worth keeping, and how to look after them.',
      filler: [
        'Buying less, and buying better, is still the best advice we can give.',
        'Before buying anything new, check the back of your wardrobe: you may already own the perfect piece.',
        'Secondhand and rental options are growing fast and are well worth a look.',
      ],
    },
    {
      slug: 'art-culture',
      name: 'Art & Culture',
      description: 'Exhibitions, books and music we think you will love.',
      filler: [
        'Many galleries are free to enter, and most offer concessions for students and older visitors.',
        'Booking ahead is recommended at weekends, when queues can be long.',
        'Culture is best enjoyed slowly. Take a friend, take your time and leave room for a coffee afterwards.',
      ],
    },
    {
      slug: 'wellbeing',
      name: 'Wellbeing',
      description: 'Small habits and gentle advice for a better everyday.',
      filler: [
        'This article is for general information and is not a substitute for professional advice.',
        'Everyone is different, and what works for one person may not work for another.',
        'Small steps, repeated often, tend to matter more than grand gestures.',
      ],
    },
    {
      slug: 'whats-on',
      name: 'Events',
      description: "What's on: festivals, fairs and weekends out.",
      weight: 0.8,
      filler: [
        'Prices and times were correct at the time of publication.',
        'Many venues offer reduced-price tickets for students, carers and under-18s.',
        'If you are travelling from outside the area, an off-peak return ticket can save a good deal.',
      ],
    },
  ],
  kinds: [
    foodRecipe,
    foodMaker,
    foodGlut,
    styleReturn,
    styleCare,
    styleStudio,
    cultureExhibition,
    cultureBook,
    cultureMusic,
    wellHabit,
    wellGuide,
    wellCommunity,
    eventsGuide,
    eventsFestival,
  ],
  // Staff names use surnames outside the invented-source pools, so a writer is never also quoted as a source.
  writers: [
    'Isla Fairbairn',
    'Theo Lindgren',
    'Chloe Okonjo',
    'Finn Arkwright',
    'Hannah Sefton',
    'Camille Roux',
  ],
};

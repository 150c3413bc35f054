/** A product of the demo shop. */
export interface ShopProduct {
	category: string;
	name: string;
	description: string;
	price: number;
}

/**
 * The demo shop's catalogue, written for Parley: a small outdoor and home store, so that the
 * `shop` agent's product search has something to find on a fresh install.
 */
export const shopCatalogue: ShopProduct[] = [
	{
		category: 'Camping',
		name: 'Ridgeline 2-Person Tent',
		description: 'Freestanding three-season tent with two doors, aluminium poles and a full rain fly. Packs to 2.1 kg.',
		price: 249
	},
	{
		category: 'Camping',
		name: 'Basecamp 6 Family Tent',
		description: 'Tall cabin tent for six with a room divider, mesh windows and a covered porch for muddy boots.',
		price: 429
	},
	{
		category: 'Camping',
		name: 'Emberglow LED Lantern',
		description: 'Rechargeable lantern with warm and white light, 300 lumens, 40 hours on low, USB-C charging.',
		price: 39
	},
	{
		category: 'Camping',
		name: 'Trailhead Headlamp',
		description: 'Light headlamp with a red night mode, 350 lumens and a tilting beam; runs on three AAA batteries.',
		price: 29
	},
	{
		category: 'Camping',
		name: 'Summit Down Sleeping Bag',
		description: 'Mummy sleeping bag filled with 650-fill down, comfortable to -5 °C, with a draft collar.',
		price: 319
	},
	{
		category: 'Camping',
		name: 'Meadow Synthetic Sleeping Bag',
		description: 'Rectangular sleeping bag for summer camping, machine washable, zips together with a second bag.',
		price: 89
	},
	{
		category: 'Camping',
		name: 'Cloudrest Sleeping Pad',
		description: 'Insulated inflatable pad, 7 cm thick, R-value 4.2, with a pump sack and a repair kit.',
		price: 129
	},
	{
		category: 'Camping',
		name: 'Pocket Rocket Camp Stove',
		description: 'Tiny gas stove that boils a litre of water in three and a half minutes; folds into its own pot.',
		price: 55
	},
	{
		category: 'Camping',
		name: 'Titanium Cook Pot 900 ml',
		description: 'Ultralight titanium pot with a lid that strains, folding handles and volume marks.',
		price: 49
	},
	{
		category: 'Camping',
		name: 'Folding Camp Chair',
		description: 'Sturdy chair with a cup holder and a side pocket; holds 120 kg and folds flat into a carry bag.',
		price: 45
	},
	{
		category: 'Hiking',
		name: 'Granite Peak Hiking Boots',
		description: 'Waterproof leather boots with a Vibram sole and ankle support for rocky trails.',
		price: 189
	},
	{
		category: 'Hiking',
		name: 'Swiftpath Trail Runners',
		description: 'Light trail running shoes with a grippy outsole and a rock plate; quick to dry after river crossings.',
		price: 139
	},
	{
		category: 'Hiking',
		name: 'Wayfarer 45 L Backpack',
		description: 'Hiking backpack with an adjustable back panel, a rain cover and a hip belt with pockets.',
		price: 159
	},
	{
		category: 'Hiking',
		name: 'Daytripper 20 L Daypack',
		description: 'Small pack for day hikes with a hydration sleeve, a padded laptop pocket and side bottle pockets.',
		price: 69
	},
	{
		category: 'Hiking',
		name: 'Carbon Trekking Poles',
		description: 'Pair of collapsible carbon poles with cork grips and quick locks; 230 g each.',
		price: 99
	},
	{
		category: 'Hiking',
		name: 'Merino Hiking Socks (3 pairs)',
		description: 'Cushioned merino wool socks that keep feet dry and do not smell after long days.',
		price: 36
	},
	{
		category: 'Hiking',
		name: 'Alpine Rain Jacket',
		description: 'Breathable waterproof shell with taped seams, pit zips and a helmet-compatible hood.',
		price: 219
	},
	{
		category: 'Hiking',
		name: 'Thermal Fleece Pullover',
		description: 'Warm grid fleece mid layer with a half zip and thumb loops.',
		price: 79
	},
	{
		category: 'Hiking',
		name: 'Insulated Water Bottle 750 ml',
		description: 'Stainless steel bottle that keeps drinks cold for 24 hours or hot for 12.',
		price: 32
	},
	{
		category: 'Hiking',
		name: 'Trail First Aid Kit',
		description: 'Compact kit with blister plasters, bandages, tweezers and an emergency blanket.',
		price: 27
	},
	{
		category: 'Kitchen',
		name: 'Cast Iron Skillet 26 cm',
		description: 'Pre-seasoned cast iron frying pan for searing, baking and campfires; lasts a lifetime.',
		price: 59
	},
	{
		category: 'Kitchen',
		name: 'Pour-Over Coffee Set',
		description: 'Ceramic dripper, glass server and 100 paper filters for a clean cup of coffee.',
		price: 44
	},
	{
		category: 'Kitchen',
		name: 'Chef Knife 20 cm',
		description: 'Forged stainless steel chef knife with a full tang and a balanced walnut handle.',
		price: 85
	},
	{
		category: 'Kitchen',
		name: 'Bamboo Cutting Boards (set of 3)',
		description: 'Three boards in different sizes with juice grooves; gentle on knife edges.',
		price: 34
	},
	{
		category: 'Kitchen',
		name: 'Stoneware Dinner Plates (set of 4)',
		description: 'Hand-glazed plates in ocean blue; dishwasher and microwave safe.',
		price: 64
	},
	{
		category: 'Kitchen',
		name: 'Electric Kettle 1.7 L',
		description: 'Fast kettle with temperature presets for green tea, coffee and boiling, and a keep-warm mode.',
		price: 69
	},
	{
		category: 'Home',
		name: 'Linen Table Lamp',
		description: 'Bedside lamp with a linen shade and a dimmable warm bulb; oak base.',
		price: 75
	},
	{
		category: 'Home',
		name: 'Arc Floor Lamp',
		description: 'Tall arching floor lamp for reading corners, with a marble base and a foot switch.',
		price: 189
	},
	{ category: 'Home', name: 'Wool Throw Blanket', description: 'Soft lambswool blanket in a herringbone weave, 130 × 170 cm.', price: 95 },
	{
		category: 'Home',
		name: 'Scented Soy Candles (set of 3)',
		description: 'Cedar, fig and sea salt candles that burn clean for 40 hours each.',
		price: 38
	},
	{
		category: 'Home',
		name: 'Indoor Plant Pots (set of 2)',
		description: 'Matte ceramic pots with drainage holes and saucers, for herbs and small plants.',
		price: 42
	},
	{
		category: 'Home',
		name: 'Cotton Bath Towels (set of 2)',
		description: 'Thick, absorbent organic cotton towels that get softer with every wash.',
		price: 49
	},
	{
		category: 'Electronics',
		name: 'Solar Power Bank 20,000 mAh',
		description: 'Rugged battery pack with a solar panel, two USB ports and a flashlight; charges a phone four times.',
		price: 59
	},
	{
		category: 'Electronics',
		name: 'Bluetooth Camp Speaker',
		description: 'Waterproof speaker with 18 hours of music, a carabiner and a built-in lantern light.',
		price: 79
	},
	{
		category: 'Electronics',
		name: 'Noise-Cancelling Headphones',
		description: 'Over-ear wireless headphones with active noise cancelling and 30 hours of battery.',
		price: 229
	},
	{
		category: 'Electronics',
		name: 'GPS Hiking Watch',
		description: 'Outdoor watch with GPS tracks, an altimeter, a compass and two weeks of battery life.',
		price: 299
	}
];

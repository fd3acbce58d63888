"""Word lists the rules use. General English news vocabulary, nothing article-specific."""

from __future__ import annotations

# The languages whose word lists are below; text in any other gets only its quotations.
SUPPORTED_LANGUAGES = frozenset({"en"})


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Speech and report verbs, all inflections we accept as a cue (lower case).
SPEECH_VERBS = _words(
    """say says said saying tell tells told telling announce announces announced announcing
    state states stated stating confirm confirms confirmed confirming assure assures
    assured assuring indicate indicates indicated indicating claim claims claimed
    claiming report reports reported reporting deny denies denied denying explain
    explains explained explaining add adds added adding promise promises promised
    promising estimate estimates estimated estimating urge urges urged urging declare
    declares declared declaring warn warns warned warning insist insists insisted
    insisting argue argues argued arguing acknowledge acknowledges acknowledged admit
    admits admitted admitting note notes noted noting stress stresses stressed
    stressing emphasise emphasised emphasize emphasized reiterate reiterated
    write writes wrote writing reply replied replies answer
    answered conclude concludes concluded concluding predict predicts predicted
    predicting allege alleges alleged alleging maintain maintains maintained
    suggest suggests suggested tweet tweeted mention mentioned continued continues respond
    responds responded recall recalls recalled remark remarks remarked quip quips quipped
    joke jokes joked assert asserts asserted contend contends contended counter counters
    countered boast boasts boasted complain complains complained concede concedes conceded
    caution cautions cautioned lament laments lamented vow vows vowed pledge pledges pledged
    observe observes observed
    chanted chanting shouted shouting exclaimed exclaims yelled yelling fumed mused elaborated
    interjected recounted recounts retorted scoffed snapped barked screamed whispered muttered
    pleaded boomed sighed riffed"""
)
# Thought verbs: an attribution of belief, not of speech (the project's rules do not quote them).
BELIEF_VERBS = _words(
    """believe believes believed believing think thinks thought thinking feel feels felt hope
    hopes hoped expect expects expected fear fears feared doubt doubts doubted suspect suspects
    suspected know knows knew want wants wanted worry worries worried consider considers
    considered"""
)
# Verbs that take the "that"-less content clause only when followed by a clause.
TELL_VERBS = _words("tell tells told telling assure assures assured assuring warn warned warns remind reminded")
# Cues that make a quoted fragment a quotation even without a content clause.
FRAGMENT_CUES = (
    _words("""ask asks asked asking calling call calls called describe describes described describing
    referred refer refers referring dubbed labelled labeled branded termed""")
    | SPEECH_VERBS
)

PRONOUNS_PERSON = {"he": "m", "she": "f", "him": "m", "her": "f", "i": "", "we": "", "they": ""}
PRONOUNS_ORG = _words("it they we")

ANONYMOUS_HEADS = _words(
    """witness witnesses official officials source sources people residents expert experts
    analyst analysts observer observers critic critics someone somebody person man woman
    spokesman spokeswoman spokesperson representative insider insiders diplomat diplomats
    resident onlooker onlookers passenger passengers police authorities mp mps lawmaker
    lawmakers employee employees worker workers neighbors neighbours locals bystanders
    students parents fans protesters activists doctors nurses teachers scientists
    researchers investigators rescuers survivors relatives families villagers victim victims
    farmers fishermen shopkeepers traders drivers miners economists customers
    commuters tenants landlords homeowners patients pupils staff prosecutors forecasters
    meteorologists"""
)
VAGUE_MODIFIERS = _words("""a an some many several two three few other local senior
    government police military security western eyewitness unnamed anonymous""")
DOCUMENT_HEADS = _words("""report reports document documents study studies data figures
    statistics poll polls survey surveys records estimates rumours rumors release releases
    charter constitution law laws treaty article articles convention rules guidelines
    regulations agreement resolution census footage video""")
COUNTRY_ACRONYMS = {
    "US": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "UN": "United Nations",
    "EU": "European Union",
    "UAE": "United Arab Emirates",
}
SPOKES_ROLES = _words("""spokesman spokeswoman spokesperson representative official
    officer officials spokespeople press-secretary""")
# Abbreviated titles and the role nouns a later description uses ("the Texas senator").
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "sens": "senator",
    "rep": "congressman",
    "reps": "congressman",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "adm": "admiral",
    "pres": "president",
    "supt": "superintendent",
    "atty": "attorney",
    "prof": "professor",
}
# Words that may stand inside a role before its noun: "chief financial officer"
ROLE_MODIFIERS = _words(
    """financial operating technology information marketing medical legal deputy assistant
    vice acting interim former senior managing general executive foreign press"""
)
PERSON_ROLE_NOUNS = _words(
    """official president minister secretary spokesman spokeswoman spokesperson leader
    chief director officer executive ceo chairman chairwoman chair head governor mayor
    senator sheriff captain commander general expert anthropologist scientist professor
    analyst economist ambassador envoy premier chancellor king queen prince judge
    lawyer attorney diplomat adviser advisor aide owner founder manager editor
    correspondent reporter journalist researcher doctor physician epidemiologist
    director-general secretary-general dispatcher congressman congresswoman assemblyman
    assemblywoman councilman councilwoman alderman alderwoman engineer architect inspector
    treasurer coach teacher nurse principal superintendent commissioner prosecutor advocate
    activist campaigner strategist pollster consultant constable sergeant detective boss"""
)
ORG_HEAD_NOUNS = _words(
    """government ministry agency company tribunal court police army military navy
    embassy administration authorities parliament council committee commission group
    firm bank party union cabinet office department media newspaper broadcaster
    regulator alliance organisation organization institute network chain retailer
    supermarket grocer carmaker automaker miner telco club airline"""
)

COMPANY_NOUNS = _words("""company firm group retailer chain carrier airline bank manufacturer maker
    supermarket grocer carmaker automaker miner telco
    organisation organization charity
    insurer operator brand business supplier developer publisher broadcaster network""")
PUBLIC_BODY_NOUNS = _words("""government ministry tribunal court police army military navy embassy
    administration authorities parliament cabinet council committee commission agency""")
BODY_HEADS = ORG_HEAD_NOUNS | PUBLIC_BODY_NOUNS | _words("service office board bureau institute")
TITLE_WORDS = _words(
    """President Vice Prime Minister Secretary General Foreign Finance Defence Defense
    Interior Chancellor King Queen Prince Princess Sheriff Captain Capt Chief Commander
    Colonel Col Major Lieutenant Lt Sergeant Sgt Admiral Governor Gov Senator Sen Rep
    Representative Mayor Judge Justice Director Director-General Secretary-General Dr Mr
    Mrs Ms Miss Mx Professor Prof Sir Dame Lord Lady Pope Bishop Archbishop Cardinal Rabbi
    Imam Ambassador Chairman Chairwoman Chair CEO Spokesman Spokeswoman Spokesperson
    Deputy Acting Former State Attorney Speaker Leader Officer Inspector Superintendent
    Constable Detective Premier Emperor Sultan Sheikh Crown Federal Health Economy Trade
    Education Energy Transport Home Agriculture Labour Labor Environment Culture
    Commissioner Head Executive Managing Senior Supreme Marshal Brigadier Private Corporal
    Officer Saint St Coach Manager Pastor Father Reverend Rev President-elect Prosecutor Advocate
    Councillor Councilor Chairperson Treasurer Auditor Registrar Magistrate Congressman
    Congresswoman Assemblyman Assemblywoman Councilman Councilwoman Alderman Alderwoman
    Gen Adm Atty Supt Cmdr Maj Insp Det MP MPs MEP MSP MLA Local Striker Midfielder Defender
    Goalkeeper Winger Quarterback Pitcher Catcher Batsman Bowler Skipper Referee Umpire Jockey"""
)
# Title words that only qualify a title ("Health Minister", "State Senator", "Federal
# Judge"): before a single name and no title, they open an organisation's name.
DEPARTMENT_WORDS = _words(
    """Federal State Health Foreign Finance Defence Defense Interior Economy Trade Education
    Energy Transport Home Agriculture Labour Labor Environment Culture Supreme Crown Local"""
)
# Offices held over a place: "the mayor of Lindenfeld" is a person, never the town.
PLACE_OFFICES = _words(
    """mayor governor senator sheriff premier ambassador envoy congressman congresswoman
    assemblyman assemblywoman councilman councilwoman alderman alderwoman"""
)
HONORIFICS = _words("Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lord Lady Mr. Mrs. Ms. Dr. Prof.")
FEMALE_CUES = _words(
    "she her spokeswoman chairwoman mrs ms miss queen princess lady dame madam businesswoman congresswoman"
)
MALE_CUES = _words("he his him spokesman chairman mr king prince sir lord businessman congressman")

ORG_WORDS = _words(
    """Ministry Organization Organisation Institute Institution Police Agency Group Committee
    Council University College School Guard Press News Times Post Today Reuters Bank Fund
    Party Court Tribunal Office Department Service Services Association Union Company
    Corporation Corp Inc Ltd LLC PLC AG SA Foundation Commission Authority Army Navy Force
    Forces Government Parliament Congress Senate Center Centre Network Rail Airlines
    Airways Media TV Radio Journal Herald Tribune Gazette Society
    Board Bureau Federation League Alliance Coalition Movement Front Brigade Corps Club
    Hospital Infirmary Museum Library Council Assembly Cabinet Administration Embassy
    Holdings Industries Motors Systems Technologies Airlines Partners Group Associated AFP
    BBC CNN Agency Associated Press Broadcasting Magazine Daily Weekly Review
    Economist Nations Guardian Telegraph Observer Independent Mirror Sun Chronicle Monitor
    Show Podcast Programme Hour Foods Pharmaceuticals Pharma Laboratories Brands Bancorp
    Petroleum Mining Steel Telecom Communications Logistics Stores Entertainment Studios
    Shipping Energy Insurance Construction Hotels Resorts Software Electronics Chemicals
    Ventures Consulting Railways Utilities Brewery Breweries Airport Airports Cooperative"""
)
# What a person described by party is called: "the Ohio Democrat", "the Tory".
PARTY_MEMBERS = _words("democrat republican conservative tory liberal socialist libertarian progressive")
ORG_SUFFIXES = _words("Group Inc Ltd LLC PLC AG SA Corp Corporation Company Holdings Co")

# Places that look like names; enough to keep them out of the speaker list.
PLACES = _words(
    """Afghanistan Albania Algeria America Argentina Armenia Asia Australia Austria
    Azerbaijan Bangladesh Belarus Belgium Bolivia Bosnia Brazil Britain Bulgaria Cambodia
    Canada Chile China Colombia Croatia Cuba Cyprus Czechia Denmark Egypt England Estonia
    Ethiopia Europe Finland France Georgia Germany Ghana Greece Hungary India Indonesia
    Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Korea Kosovo Kuwait
    Latvia Lebanon Libya Lithuania Malaysia Mexico Moldova Morocco Myanmar Nepal
    Netherlands Nigeria Norway Pakistan Palestine Peru Philippines Poland Portugal Qatar
    Romania Russia Rwanda Scotland Serbia Singapore Slovakia Slovenia Somalia Spain Sudan
    Sweden Switzerland Syria Taiwan Thailand Tunisia Turkey Uganda Ukraine Venezuela
    Vietnam Wales Yemen Zimbabwe Africa Antarctica Arctic Moscow Kyiv Kiev London Paris
    Berlin Washington Beijing Tehran Brussels Tokyo Delhi Riyadh Gaza Jerusalem Cairo
    Ankara Istanbul Baghdad Damascus Kabul Islamabad Warsaw Prague Vienna Rome Madrid Lisbon
    Athens Dublin Oslo Stockholm Helsinki Copenhagen Amsterdam Geneva Budapest Bucharest Seoul
    Manila Jakarta Bangkok Hanoi Sydney Canberra Ottawa Toronto Nairobi Lagos Johannesburg
    Caracas Bogota Lima Havana Minsk Tbilisi Yerevan Baku Beirut Amman Doha Dubai Mumbai"""
)
NATIONALITIES = _words(
    """American British Chinese Russian Ukrainian French German Italian Spanish Japanese
    Indian Iranian Israeli Saudi Turkish Polish Philippine Filipino Korean Canadian
    Australian Mexican Brazilian Egyptian Syrian Iraqi Afghan Pakistani Dutch Belgian
    Swedish Norwegian Danish Finnish Greek Irish Scottish Welsh English European African
    Asian Arab Palestinian Lebanese Yemeni Venezuelan Cuban Hungarian Czech Romanian
    Serbian Croatian Belarusian Georgian Armenian Thai Vietnamese Malaysian Indonesian
    Nigerian Kenyan Ethiopian Taiwanese Swiss Austrian Portuguese Qatari Emirati Kuwaiti"""
)

# Given names tell a person from a place or a body and give a pronoun's gender. Each
# list goes on with Faker's en_US given names (MIT licence), less those that are also
# common words, places, titles or given to both sexes ("Chase", "Jordan", "Kim"), and
# ends with common short forms ("Chuck", "Meg").
FEMALE_NAMES = _words(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna ruth
    brenda pamela nicole katherine samantha christine emma catherine debra rachel carolyn
    janet virginia maria heather diane julie joyce victoria kelly christina joan evelyn
    lauren judith olivia frances martha cheryl megan andrea hannah jacqueline ann jean
    alice kathryn gloria teresa doris sara janice julia marie madison grace judy theresa
    beverly denise marilyn amber danielle abigail brittany rose diana natalie sophia
    alexis lori kayla jane monica caroline wendy helen angela ursula
    theresa nicola liz angela ursula
    christine nancy elise valentina olena iryna tatiana natalia
    svetlana yulia oksana anastasia elena irina ekaterina
    adriana adrienne aimee alejandra alexa alexandra alexandria alicia alisha alison
    allison alyssa ana angelica angie anita anne annette ariana ariel ashlee audrey
    becky belinda beth bethany bianca bonnie brandi breanna briana brianna bridget
    brittney brooke caitlin caitlyn candace candice carla carly carrie cassandra cassidy
    cassie cathy charlene chelsea chelsey cheyenne chloe christie christy cindy claire
    claudia colleen connie courtney cristina dana darlene deanna debbie desiree dorothy
    ebony eileen elaine ellen erica erika erin felicia gabriela gabriella gabrielle gail
    gina glenda gwendolyn hailey haley hayley heidi isabel isabella jackie jaclyn jasmin
    jasmine jeanette jeanne jenna jenny jill jillian jo joann joanna joanne jocelyn jodi
    jody kaitlin kaitlyn kara kari karina karla katelyn kathy katie katrina kaylee kelli
    kellie kelsey kendra kerri kiara kirsten krista kristen kristi kristie kristin
    kristina kristine kristy krystal kylie lacey latasha latoya laurie leah lindsay
    lindsey loretta lorraine lydia mackenzie madeline makayla mallory mandy marcia
    mariah marisa marissa maureen mckenzie meagan meghan melanie melinda meredith mia
    michaela michele mikayla mindy miranda molly monique natasha nichole nina norma pam
    patty paula peggy phyllis priscilla rachael rebekah renee rhonda rita roberta robyn
    sabrina sandy selena shari shawna sheena sheila shelia shelley shelly sheri sherri
    sherry sheryl sonia sonya stacey stacie stacy stefanie suzanne sylvia tabitha tamara
    tami tammie tammy tanya tara tasha terri tiffany tina toni tonya tracey traci tracie
    tricia valerie vanessa veronica vicki vickie wanda whitney yesenia yolanda yvette
    yvonne zoe
    betsy meg hillary"""
)
MALE_NAMES = _words(
    """james robert john michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
    george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
    raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter
    kyle walter ethan jeremy harold keith christian roger noah gerald carl terry sean
    austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel
    logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby
    philip johnny bill mike dave matt tom jim tony boris vladimir dmitry sergei
    sergey
    antonio mohammad mohammed muhammad ali ahmed hassan ian nigel
    jean-claude pedro luiz javier ivan oleksandr andriy mykhailo yuri viktor alexei
    adrian alec alejandro alex alfred allen alvin andre andres barry bernard blake brad
    bradley brady brendan brent brett bryce caleb calvin cameron carlos cesar chris
    clarence clayton clifford cody cole colin collin colton connor corey cory craig
    cristian curtis dalton damon dan danny darin darius darrell darren darryl daryl dean
    derek derrick devin devon dillon dominic duane dustin dwayne eddie edgar eduardo
    edwin erik ernest evan fernando francis francisco fred frederick garrett gavin
    geoffrey gilbert glenn gordon greg gregg harry hayden hector herbert isaac isaiah
    jake jared jay jeff jeffery jeremiah jermaine jerome jimmy joel johnathan jon
    jonathon jorge julian karl kirk kristopher kurt leon leonard leroy levi lonnie lucas
    luis luke malik manuel marc marco marcus mario martin marvin mathew maurice maxwell
    melvin micheal miguel mitchell nathaniel neil nicolas omar oscar phillip randall
    reginald ricardo rickey ricky roberto rodney ronnie ruben sergio seth shane shaun
    shawn spencer stanley steve stuart terrance terrence theodore tim todd tommy travis
    trevor tristan tyrone vernon victor wesley
    charlie chuck ted teddy ed bernie rudy mitch hank pete nick rob ben sam nate ned"""
)

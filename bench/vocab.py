"""Word lists and sentence templates for generated benchmark content (mental-health forum style).

Templates use ``{slot}`` names filled from ``SLOTS`` (and ``{problem}`` from the
question's category). Besides the everyday words in the templates, posts
mention names (towns, pets, workplaces) made from syllables: a long tail of
rare words, so the site's vocabulary keeps growing with its size as a real
forum's does, and the search index grows with it. Nothing here is random:
``generate.py`` draws from these lists with a seeded generator.
"""

from __future__ import annotations

from typing import NamedTuple


class CategoryWords(NamedTuple):
    """A category's description, the problems its questions are about, and its own tags."""

    description: str
    problems: list[str]
    tags: list[str]


def _words(text: str) -> list[str]:
    """A list from one entry a line (keeps the tables below short)."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


CATEGORIES: dict[str, CategoryWords] = {
    "Psychotherapists": CategoryWords(
        "Finding a therapist, working with one, and what is normal in the therapy relationship.",
        _words("""
            finding the right therapist
            opening up in sessions
            ending therapy
            feeling judged by my therapist
            talking about my past in therapy
            paying for therapy
            switching therapists
            a therapist who cancels a lot
            homework between sessions
            crying in front of my therapist
            a long waiting list
            not feeling any progress in therapy
        """),
        ["therapy", "therapist", "counselling", "boundaries", "first-session", "online-therapy"],
    ),
    "Anxiety": CategoryWords(
        "Worry, panic attacks, social anxiety and the physical side of anxiety.",
        _words("""
            anxiety
            panic attacks
            constant worry
            social anxiety
            health anxiety
            a racing heart at night
            overthinking
            fear of driving
            anxiety about phone calls
            dread on Sunday evenings
            shaking hands in meetings
            fear of being sick
        """),
        ["anxiety", "panic-attacks", "social-anxiety", "worry", "health-anxiety", "overthinking"],
    ),
    "Depression": CategoryWords(
        "Low mood, loss of motivation and explaining depression to the people around you.",
        _words("""
            depression
            low mood
            no motivation
            feeling numb
            getting out of bed
            losing interest in everything
            feeling empty
            sleeping all weekend
            not wanting to see anyone
            winter depression
            crying every morning
            feeling like a failure
        """),
        ["depression", "low-mood", "motivation", "numbness", "hopelessness", "loneliness"],
    ),
    "Relationships": CategoryWords(
        "Partners, family, friends and breakups: supporting others and looking after yourself.",
        _words("""
            arguments with my partner
            a breakup
            feeling lonely in a relationship
            a critical parent
            drifting apart from friends
            jealousy
            a partner who shuts down
            in-laws who overstep
            a friend who only calls in a crisis
            co-parenting after a divorce
            trust after cheating
            a sibling who drinks too much
        """),
        ["relationships", "family", "friendship", "breakups", "partners", "communication"],
    ),
    "Self-care": CategoryWords(
        "Everyday habits such as sleep, movement, routines and rest, kept realistic.",
        _words("""
            poor sleep
            insomnia
            burnout
            no energy
            a messy routine
            too much screen time
            skipping meals
            doomscrolling in bed
            never taking a day off
            guilt about resting
            waking up at four
            forgetting to drink water
        """),
        ["sleep", "self-care", "exercise", "routine", "insomnia", "burnout"],
    ),
    "Medication & treatment": CategoryWords(
        "Psychiatric medication, types of therapy and paying for care. General information only.",
        _words("""
            side effects
            starting an SSRI
            coming off medication
            changing doses
            medication and sleep
            brain fog on medication
            weight gain on medication
            missing a dose
            medication and alcohol
            vivid dreams on medication
            emotional blunting
            being afraid to take tablets
        """),
        ["medication", "ssri", "side-effects", "antidepressants", "cbt", "dbt"],
    ),
    "Work & study": CategoryWords(
        "Stress at work, at school and at university, and talking to employers about mental health.",
        _words("""
            stress at work
            exam anxiety
            imposter syndrome
            a toxic workplace
            procrastination
            telling my boss about my anxiety
            a difficult manager
            going back after sick leave
            presentations
            falling behind on coursework
            working night shifts
            a redundancy
        """),
        ["work", "stress", "university", "exams", "procrastination", "imposter-syndrome"],
    ),
    "Grief & loss": CategoryWords(
        "Losing someone or something important, and living with grief over time.",
        _words("""
            grief
            losing a parent
            losing a pet
            guilt after a loss
            anniversaries of a loss
            a miscarriage
            losing a friend to suicide
            clearing out a parent's house
            grief at work
            a grandparent's dementia
            losing a home
            grieving someone I had not seen for years
        """),
        ["grief", "loss", "bereavement", "guilt", "anniversaries", "mourning"],
    ),
}

# General tags: with the category tags and "<topic>-<aspect>" compounds they make ~200.
TOPICS = _words("""
    anxiety
    sleep
    depression
    therapy
    stress
    mindfulness
    journaling
    breathing
    meditation
    trauma
    ptsd
    ocd
    adhd
    bipolar
    eating
    body-image
    self-esteem
    perfectionism
    anger
    shame
    crying
    nightmares
    caffeine
    alcohol
    social-media
    parenting
    pregnancy
    postpartum
    teenagers
    students
    lgbtq
    dating
    marriage
    divorce
    moving
    money
    loneliness
    isolation
    hobbies
    nature
    pets
    diet
    walking
    yoga
    music
    reading
    support-groups
    crisis
    hotlines
    diagnosis
""")
ASPECTS = ["tips", "at-work", "at-night", "recovery", "support", "habits", "relapse", "triggers"]

FIRST_NAMES = (
    "Alex Sam Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Maya Priya Tomás Aisha Chen Noah Lena Omar "
    "Sofia Kai Elena Marcus Hannah Yusuf Grace Daniel Ines Ravi Zoe Felix Amara Leo Nina Hugo Mei Jonas Clara "
    "Ibrahim Ruth Theo"
).split()
LAST_NAMES = (
    "Lee Rivera Okafor Nair Ferreira Stone Kim Novak Hughes Patel Silva Brennan Moreau Haddad Lindqvist Osei "
    "Tanaka Walsh Costa Fischer Ahmed Berg Young Ortiz Murphy Sato Khan Dubois Rossi Nguyen"
).split()
NICK_WORDS = (
    "quiet harbor night owl mossy river paper lantern blue heron small steps north wind soft tide willow fern "
    "grey sky slow morning tea cup calm shore"
).split()
CREDENTIALS = [
    "LCSW, licensed clinical social worker",
    "PsyD, licensed clinical psychologist",
    "LPC, licensed professional counselor",
    "PMHNP-BC, psychiatric nurse practitioner",
    "LMFT, marriage and family therapist",
    "MD, psychiatrist",
    "RN, mental health nurse",
]
BIOS = [
    "Long-time member who started posting while looking for a first therapist.",
    "Lives with generalized anxiety and a very opinionated cat.",
    "Grad student, recovering perfectionist, occasional poster.",
    "Counsellor for {years} years, mostly with adults facing anxiety and life changes.",
    "Parent of two, learning to look after myself as well as everyone else.",
    "Night-shift worker who knows far too much about sleep hygiene.",
    "Here to pay forward the help this forum gave me after a hard year.",
    "Works in community mental health; answers are general information, not treatment.",
]

# Made-up names, the long tail of the vocabulary: a first part, a middle (maybe empty) and an ending per kind.
NAME_STARTS = (
    "Ash Brook Carr Dun Elm Fair Glen Hart Ivy Kings Lang Marl Nether Oak Pen Quarry Red Stan Thorn Wick Yar "
    "Bram Cold Din Ever Frog Gold Hol Lyn Mire Nor Orm Pike Rook Sedge Tarn Vale Wren Bex Cal Dray Fen Grim "
    "Hex Jot Kel Lud Mor Nid Pol Rav Sul Tob Ull Ves Wat Zel Bri Cor Dal"
).split()
NAME_MIDDLES = ["", "er", "en", "ing", "al", "ow", "ar", "ell", "in", "ock", "um", "es"]
NAME_ENDS = {
    "town": "bury ford ton field wick mouth ley combe stead hampton worth ham moor dale bridge haven gate".split(),
    "pet": "by kins ie o sy bo dle pip chu mo".split(),
    "workplace": "tech works labs logistics foods health print retail care systems".split(),
}

SLOTS: dict[str, list[str]] = {
    "person": _words("""
        partner
        mum
        dad
        best friend
        doctor
        therapist
        boss
        sister
        brother
        flatmate
        teacher
        manager
        husband
        wife
        girlfriend
        boyfriend
        grandmother
        son
        daughter
        coach
    """),
    "duration": _words("""
        for a few weeks
        for about two months
        for almost a year
        since last winter
        on and off for years
        since I changed jobs
        since the start of term
        since my birthday
        ever since the pandemic
        for longer than I like to admit
    """),
    "ago": ["a few weeks", "two months", "six months", "a year", "three weeks", "ten days", "four months"],
    "time": _words("""
        at night
        in the mornings
        on Sunday evenings
        before work
        after social events
        when I am alone
        during exams
        around the holidays
        on my commute
        after payday
        in the shower
        at family dinners
        when the house is quiet
        right before falling asleep
    """),
    "symptom": _words("""
        wake up with my heart racing
        cry for no obvious reason
        feel exhausted all day
        lie awake replaying conversations
        feel tense in my chest
        cannot concentrate
        snap at the people I love
        avoid answering messages
        get dizzy in supermarkets
        grind my teeth
        forget simple words
        feel detached from my own body
        eat without noticing
        check my pulse over and over
    """),
    "feeling": _words("""
        feel worse than before
        feel guilty
        feel completely flat
        feel on edge
        feel like a burden
        feel more anxious
        feel relieved and sad at once
        feel invisible
        feel ashamed
        feel oddly calm
        feel irritable
        feel stuck
    """),
    "event": _words("""
        starting therapy
        a breakup
        moving to a new city
        losing my job
        a panic attack
        changing my medication
        a long hospital stay
        having a baby
        my graduation
        a car accident
        my parents' divorce
        a burglary
        coming out to my family
        retiring
        a miscarriage
        a promotion
    """),
    "activity": _words("""
        journaling
        a daily walk
        breathing exercises
        cutting down on caffeine
        a regular bedtime
        yoga
        talking to a friend
        a support group
        mindfulness apps
        limiting social media
        gardening
        cold showers
        swimming
        running
        cooking from scratch
        volunteering
        drawing
        knitting
        birdwatching
        climbing
        weightlifting
        playing the piano
        a gratitude list
        sea swimming
    """),
    "treatment": _words("""
        CBT
        DBT
        an SSRI
        group therapy
        EMDR
        online therapy
        sertraline
        talk therapy
        a sleep clinic
        fluoxetine
        citalopram
        venlafaxine
        mirtazapine
        propranolol
        ACT
        psychodynamic therapy
        couples counselling
        light therapy
    """),
    "daily": _words("""
        getting to work on time
        cooking a proper meal
        answering emails
        looking after my kids
        studying
        keeping the flat tidy
        seeing friends
        doing the food shop
        paying bills
        walking the dog
        going to the gym
        driving on the motorway
    """),
    "life": _words("""
        sleep
        work
        relationships
        appetite
        studies
        friendships
        daily life
        marriage
        parenting
        concentration
        finances
    """),
    "professional": _words("""
        your GP
        a therapist
        your prescriber
        a counsellor
        your doctor
        a psychiatrist
        your pharmacist
        a nurse practitioner
        your occupational health team
        a grief counsellor
    """),
    "advice": _words("""
        write down what you feel each evening
        keep the same wake-up time every day
        take a ten-minute walk outside after lunch
        plan one small thing to look forward to
        agree on a signal with your partner for when you need space
        notice the thought without arguing with it
        put your phone in another room at night
        break the task into the smallest possible step
        name five things you can see
        schedule worry time for fifteen minutes a day
        eat something within an hour of waking
        ask for the appointment in writing
        practise the conversation out loud first
        rate how you feel from one to ten before and after
    """),
    "experience": _words("""
        the first month was the hardest and it slowly got easier
        it helped to tell one trusted person before telling everyone
        I only noticed the change when I looked back at my notes
        the worry did not vanish, but the bad nights became rarer
        I had to try two therapists before one felt right
        sleep was the first thing that improved, then my mood
        my GP was far kinder about it than I expected
        the side effects settled after about three weeks
        writing things down made the spiral shorter
        nobody at work noticed as much as I feared
    """),
    "reassurance": _words("""
        needing help is not a failure
        progress is rarely a straight line
        one bad week does not undo the work you have done
        you are allowed to go slowly
        what you feel makes sense given what you are carrying
        asking this question already shows how much you care
        rest is part of recovery, not a reward for it
    """),
    "job": _words("""
        nurse
        teacher
        barista
        accountant
        software developer
        paramedic
        chef
        lorry driver
        social worker
        lawyer
        cleaner
        student nurse
        electrician
        pharmacist
        call centre agent
        architect
        warehouse picker
        junior doctor
        hairdresser
        librarian
    """),
    "place": _words("""
        the supermarket
        the bus
        the train
        my office
        the lecture hall
        the gym
        church
        my in-laws' house
        the school gates
        the dentist
        a crowded pub
        the cinema
        the motorway
        the lift
    """),
    "age": ["twenties", "thirties", "forties", "fifties", "sixties", "late teens"],
    "months": ["three", "six", "nine", "twelve", "eighteen"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "pet_kind": ["dog", "cat", "rabbit", "budgie", "tortoise", "guinea pig", "horse", "lurcher", "spaniel"],
}

TITLES = [
    "How do I cope with {problem} {time}?",
    "Is it normal to {feeling} after {event}?",
    "Why do I {symptom} {time}?",
    "Should I tell my {person} about {problem}?",
    "What actually helps with {problem}?",
    "Does {activity} really help with {problem}?",
    "Can {treatment} help with {problem}?",
    "How long does it take to feel better after {event}?",
    "How do I support my {person} through {problem}?",
    "Is {activity} worth trying for {problem}?",
    "What should I expect from {treatment}?",
    "How do I stop {problem} from taking over {daily}?",
    "Working as a {job} with {problem}: any advice?",
    "I {symptom} at {place}. What can I do?",
    "My {person} thinks {activity} will fix my {life}. Will it?",
    "{problem} since {event}: where do I start?",
    "How do other {job}s handle {problem}?",
    "Can I ask {professional} about {treatment}?",
    "Why do I {feeling} every time I go to {place}?",
    "Has {activity} helped anyone with {problem}?",
    "First week of {treatment} and I {feeling}. Is that expected?",
    "How do I explain {problem} to my {person}?",
    "Moved to {town} and {problem} got worse",
    "{problem} and a new job at {workplace}",
    "Does anyone else {symptom} {time}?",
    "Am I overreacting about {problem}?",
    "When is {problem} bad enough to see {professional}?",
    "Tips for {daily} when you {feeling}?",
    "Coming off {treatment}: what was it like for you?",
    "Is {treatment} or {treatment} better for {problem}?",
    "Our {pet_kind} died and I {feeling}",
    "How did you get through {event}?",
    "{activity} made me {feeling}. Why?",
    "Scared to tell {professional} that I {symptom}",
    "Can {problem} make you {symptom}?",
    "My {person} and I keep fighting about {problem}",
    "Need ideas: {problem} as a {job}",
    "Small wins with {problem} this week",
    "Is it {problem} or am I just tired?",
    "What do I say to {professional} at my first appointment about {problem}?",
]

QUESTION_SENTENCES = [
    "I have been dealing with {problem} {duration}, and it gets worse {time}.",
    "My {person} says I should try {activity}, but I am not sure it would help.",
    "Lately I {symptom} {time}, and it makes {daily} really hard.",
    "I started {treatment} {ago} ago and I still {feeling} most days.",
    "Has anyone here found something that helps with {problem}?",
    "I don't want to worry my {person}, but I can't keep pretending everything is fine.",
    "Since {event} I {feeling}, and I don't really know why.",
    "It affects my {life} more than I expected, especially {time}.",
    "I tried {activity} for a while, and it helped a little with {problem} but not with my {life}.",
    "Part of me thinks I am overreacting, and part of me is scared this will not get better.",
    "Any advice from people who have been through {problem} would mean a lot.",
    "I work as a {job} at {workplace}, so I can't just take time off whenever I like.",
    "We moved to {town} {ago} ago and I still don't know anyone there.",
    "The only thing that calms me down is walking my {pet_kind}, {pet}.",
    "Yesterday I had to leave {place} halfway through because I {symptom}.",
    "I am in my {age} and I have never talked to anyone about this before.",
    "My {person} from {town} keeps telling me to just relax, which does not help.",
    "I used to love {activity}, but now I can't make myself start.",
    "The waiting list for {treatment} in {town} is about {months} months.",
    "Money is tight, so anything that doesn't cost much would be great.",
    "I wrote this three times before posting because I was worried it sounds silly.",
    "On good days I manage {daily}; on bad days I can barely get dressed.",
    "I would really like to understand whether this is {problem} or just stress.",
    "My manager at {workplace} noticed I {symptom} and asked if I was okay.",
]

ANSWER_SENTENCES = [
    "What you describe sounds a lot like {problem}, and you are not alone in this.",
    "It may help to {advice} for a couple of weeks and notice what changes.",
    "Many people find that {activity} makes {problem} easier to manage, especially {time}.",
    "If {problem} starts to affect your {life}, it is worth talking to {professional}.",
    "In my experience, {experience}.",
    "Be gentle with yourself: {reassurance}.",
    "{problem} and your {life} feed each other, so small changes to your evenings can matter more than they seem.",
    "When I went through {event}, {experience}.",
    "Try to keep a simple note of your mood and {life} so you can see patterns over time.",
    "{treatment} is often recommended for {problem}, but it takes a few weeks before most people notice a change.",
    "Your {person} may not understand at first, and that is okay; you can explain a little at a time.",
    "Please reach out to a crisis line if you ever feel unsafe: that is what they are there for.",
    "I was a {job} for years and {experience}.",
    "There is a free peer support group in {town} that meets on {weekday}s; ours in {town} was lovely.",
    "My {pet_kind} {pet} got me out of the house on days when nothing else could.",
    "Something small that worked for me: {advice}.",
    "If {place} is the hardest part, try going at a quieter time first, then build up slowly.",
    "Ask {professional} whether {treatment} might suit you; they can look at your whole history.",
    "It is common to {feeling} after {event}, and it usually eases with time and support.",
    "You might also check whether {workplace} has an employee assistance programme.",
    "I would not judge {activity} by the first week; give it a month before deciding.",
    "Write your questions down before the appointment so the nerves don't wipe them from your head.",
]

ANSWER_LIST_ITEMS = [
    "**{activity}**, even on the days it feels pointless",
    "a fixed time to {advice}",
    "telling your {person} what helps and what does not",
    "asking {professional} about {treatment}",
    "noticing what happens {time}",
    "going to {place} with someone you trust",
    "a short list of people you can text on a bad day",
]

package io.leadai.pipeline.referenceai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import opennlp.tools.postag.POSModel;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.tokenize.TokenizerModel;
import opennlp.tools.util.Span;

/**
 * The reference entity service's extractor: quantity, product, money, email, phone, date, location and
 * person in English lead messages. Apache OpenNLP's English sentence, tokenizer and part-of-speech models
 * (Maven Central, {@code opennlp-models-*-en}) find the noun phrases, numbers and proper names, never across a
 * sentence boundary; patterns find what has a fixed shape. Values are as written, except quantities (digits) and products (singular, lower case).
 */
public class EntityExtractor {

    private static final String WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
    private static final String MONTH = "january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern MONEY = Pattern.compile(
            "[$€£]\\s?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?[kK]\\b)?"
                    + "|\\b\\d[\\d,]*(?:\\.\\d+)?\\s?(?:dollars|euros|pounds|bucks|USD|EUR|GBP|usd|eur|gbp)\\b");
    private static final Pattern DATE = Pattern.compile("(?i)\\b(?:today|tomorrow"
            + "|(?:next|this)\\s+(?:week|month|" + WEEKDAY + ")"
            + "|(?:" + WEEKDAY + ")"
            + "|(?:" + MONTH + ")\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?"
            + "|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:" + MONTH + ")"
            + "|\\d{4}-\\d{2}-\\d{2})\\b");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w$€£])(?:\\+\\d{1,3}[\\s.-]?)?(?:\\(\\d{2,4}\\)[\\s.-]?)?\\d{1,4}(?:[\\s.-]\\d{2,4}){1,5}(?![\\w])");
    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
            Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
            Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
            Map.entry("fifteen", 15), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
            Map.entry("fifty", 50), Map.entry("hundred", 100), Map.entry("dozen", 12), Map.entry("couple", 2));
    /** Counted things that are not products. */
    private static final Set<String> NOT_PRODUCTS = Set.of("day", "week", "month", "year", "hour", "minute",
            "second", "time", "pm", "am", "percent", "%", "people", "person", "guest", "night", "mile",
            "km", "way", "quote", "price", "estimate", "information", "info", "help", "appointment", "refund",
            "discount", "invoice", "call", "demo", "meeting", "reply", "update", "answer", "question", "thing",
            "lot", "bit", "something", "anything", "one", "order", "delivery", "consultation");
    /** Words a tagger may read as nouns that never end a product's name. */
    private static final Set<String> NOT_NOUNS = Set.of("asap", "please", "pls", "thanks", "today", "tomorrow");
    private static final Pattern PRODUCT_TRIGGER = Pattern.compile(
            "(?i)^(?:buy|order|purchase|need|want|get|looking for|interested in|price of|prices of|quote for"
                    + "|cost of|costs of)$");
    private static final Set<String> LOCATION_PREPOSITIONS = Set.of("in", "to", "from", "near", "at");
    private static final Pattern PERSON_INTRO = Pattern.compile(
            "(?i)\\b(?:my name is|i'm|i am|this is|regards,|thanks,|thank you,|best,|cheers,|sincerely,)\\s*$");
    private static final Map<String, String> IRREGULAR_PLURALS = Map.ofEntries(
            Map.entry("people", "person"), Map.entry("men", "man"), Map.entry("women", "woman"),
            Map.entry("children", "child"), Map.entry("feet", "foot"), Map.entry("teeth", "tooth"),
            Map.entry("mice", "mouse"), Map.entry("knives", "knife"), Map.entry("leaves", "leaf"),
            Map.entry("shelves", "shelf"), Map.entry("loaves", "loaf"), Map.entry("halves", "half"),
            Map.entry("shoes", "shoe"), Map.entry("toes", "toe"), Map.entry("series", "series"),
            Map.entry("species", "species"), Map.entry("glasses", "glass"), Map.entry("lenses", "lens"),
            Map.entry("buses", "bus"), Map.entry("cactuses", "cactus"), Map.entry("cacti", "cactus"));

    private final SentenceModel sentenceModel;
    private final TokenizerModel tokenizerModel;
    private final POSModel posModel;

    EntityExtractor(SentenceModel sentenceModel, TokenizerModel tokenizerModel, POSModel posModel) {
        this.sentenceModel = sentenceModel;
        this.tokenizerModel = tokenizerModel;
        this.posModel = posModel;
    }

    /** Loads the English models from the classpath (the opennlp-models jars). */
    public static EntityExtractor load() {
        try (InputStream sentences = model("opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin");
             InputStream tokens = model("opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin");
             InputStream pos = model("opennlp-en-ud-ewt-pos-1.3-2.5.4.bin")) {
            return new EntityExtractor(new SentenceModel(sentences), new TokenizerModel(tokens), new POSModel(pos));
        } catch (IOException e) {
            throw new UncheckedIOException("OpenNLP English models unreadable", e);
        }
    }

    private static InputStream model(String name) {
        InputStream in = EntityExtractor.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("OpenNLP model " + name + " is not on the classpath");
        }
        return in;
    }

    public List<Entity> extract(String text) {
        List<Entity> found = new ArrayList<>();
        // fixed shapes first; what they cover is not read again as words
        collect(EMAIL, "email", text, found);
        collect(MONEY, "money", text, found);
        collect(DATE, "date", text, found);
        collect(PHONE, "phone", text, found);
        found.removeIf(e -> e.type().equals("phone") && digits(e.value()) < 7);

        // the OpenNLP tools are not thread-safe: one of each per call
        SentenceDetectorME sentenceDetector = new SentenceDetectorME(sentenceModel);
        TokenizerME tokenizer = new TokenizerME(tokenizerModel);
        POSTaggerME tagger = new POSTaggerME(posModel);
        List<Span> allSpans = new ArrayList<>();
        List<String> allTags = new ArrayList<>();
        List<Integer> sentenceStarts = new ArrayList<>();
        for (Span sentence : sentenceDetector.sentPosDetect(text)) {
            String sentenceText = sentence.getCoveredText(text).toString();
            Span[] sentenceSpans = tokenizer.tokenizePos(sentenceText);
            sentenceStarts.add(allSpans.size());
            for (Span token : sentenceSpans) {
                allSpans.add(new Span(token, sentence.getStart()));
            }
            allTags.addAll(List.of(tagger.tag(Span.spansToStrings(sentenceSpans, sentenceText))));
        }
        Span[] spans = allSpans.toArray(Span[]::new);
        String[] tokens = Span.spansToStrings(spans, text);
        String[] tags = allTags.toArray(String[]::new);
        // a token that opens a sentence is never "taken" into a phrase that started before it
        boolean[] taken = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            for (Entity e : found) {
                if (spans[i].getStart() < e.end() && spans[i].getEnd() > e.start()) {
                    taken[i] = true;
                }
            }
        }
        boolean[] opensSentence = new boolean[tokens.length];
        sentenceStarts.forEach(start -> {
            if (start > 0 && start < opensSentence.length) {
                opensSentence[start] = true;
            }
        });
        quantitiesAndProducts(spans, tokens, tags, taken, opensSentence, found);
        productsAfterTriggers(spans, tokens, tags, taken, opensSentence, found);
        properNames(text, spans, tokens, tags, taken, opensSentence, found);
        found.sort(Comparator.comparingInt(Entity::start).thenComparing(Entity::type));
        return found;
    }

    private void quantitiesAndProducts(Span[] spans, String[] tokens, String[] tags, boolean[] taken,
                                       boolean[] opensSentence, List<Entity> found) {
        for (int i = 0; i < tokens.length; i++) {
            if (taken[i]) {
                continue;
            }
            Integer count = count(tokens[i]);
            if (count == null) {
                continue;
            }
            int next = i + 1;
            // "a dozen roses", "a couple of chairs"
            if (next < tokens.length && tokens[next].equalsIgnoreCase("of")) {
                next++;
            }
            next = skipModifiers(tokens, tags, taken, opensSentence, next);
            if (next < tokens.length && opensSentence[next]) {
                continue;
            }
            int end = nounRun(tokens, tags, taken, opensSentence, next);
            if (end == next) {
                continue;
            }
            String product = product(tokens, next, end);
            if (product == null) {
                continue;
            }
            found.add(new Entity("quantity", String.valueOf(count), spans[i].getStart(), spans[i].getEnd()));
            found.add(new Entity("product", product, spans[next].getStart(), spans[end - 1].getEnd()));
            for (int t = i; t < end; t++) {
                taken[t] = true;
            }
            i = end - 1;
        }
    }

    private void productsAfterTriggers(Span[] spans, String[] tokens, String[] tags, boolean[] taken,
                                       boolean[] opensSentence, List<Entity> found) {
        for (int i = 0; i < tokens.length; i++) {
            int after = -1;
            if (PRODUCT_TRIGGER.matcher(tokens[i]).matches()) {
                after = i + 1;
            } else if (i + 1 < tokens.length && PRODUCT_TRIGGER.matcher(tokens[i] + " " + tokens[i + 1]).matches()) {
                after = i + 2;
            }
            if (after < 0 || after >= tokens.length) {
                continue;
            }
            if (!tags[after].equals("DET") && !tokens[after].equalsIgnoreCase("some")) {
                // "buy a coffee machine", "interested in the oak table": a determiner starts the phrase
                if (!(tokens[i].equalsIgnoreCase("of") || tokens[i].equalsIgnoreCase("for")
                        || tokens[i].equalsIgnoreCase("in"))) {
                    continue;
                }
            } else {
                after++;
            }
            int start = skipModifiers(tokens, tags, taken, opensSentence, after);
            int end = nounRun(tokens, tags, taken, opensSentence, start);
            if (end == start) {
                continue;
            }
            String product = product(tokens, start, end);
            if (product != null) {
                found.add(new Entity("product", product, spans[start].getStart(), spans[end - 1].getEnd()));
                for (int t = start; t < end; t++) {
                    taken[t] = true;
                }
            }
        }
    }

    private void properNames(String text, Span[] spans, String[] tokens, String[] tags, boolean[] taken,
                             boolean[] opensSentence, List<Entity> found) {
        for (int i = 0; i < tokens.length; i++) {
            if (taken[i] || !capitalised(tokens[i])) {
                continue;
            }
            int end = i;
            while (end < tokens.length && !taken[end] && capitalised(tokens[end]) && (end == i || !opensSentence[end])
                    && (tags[end].equals("PROPN") || tags[end].equals("NOUN") || tags[end].equals("ADJ"))) {
                end++;
            }
            if (end == i) {
                continue;
            }
            String before = text.substring(0, spans[i].getStart());
            String value = text.substring(spans[i].getStart(), spans[end - 1].getEnd());
            if (PERSON_INTRO.matcher(before).find() && end - i >= 2) {
                found.add(new Entity("person", value, spans[i].getStart(), spans[end - 1].getEnd()));
            } else if (i > 0 && LOCATION_PREPOSITIONS.contains(tokens[i - 1].toLowerCase(Locale.ROOT))) {
                found.add(new Entity("location", value, spans[i].getStart(), spans[end - 1].getEnd()));
            } else {
                continue;
            }
            for (int t = i; t < end; t++) {
                taken[t] = true;
            }
            i = end - 1;
        }
    }

    private static int skipModifiers(String[] tokens, String[] tags, boolean[] taken, boolean[] opensSentence,
                                     int from) {
        int i = from;
        while (i < tokens.length && !taken[i] && (i == from || !opensSentence[i]) && (tags[i].equals("ADJ") || tags[i].equals("PROPN") && !capitalised(tokens[i])
                || tags[i].equals("VERB") && (tokens[i].toLowerCase(Locale.ROOT).endsWith("ed")
                        || tokens[i].toLowerCase(Locale.ROOT).endsWith("ing")))) {
            i++;
        }
        return i;
    }

    private static int nounRun(String[] tokens, String[] tags, boolean[] taken, boolean[] opensSentence, int from) {
        int i = from;
        while (i < tags.length && !taken[i] && (i == from || !opensSentence[i]) && tags[i].equals("NOUN")
                && !NOT_NOUNS.contains(tokens[i].toLowerCase(Locale.ROOT))) {
            i++;
        }
        return i;
    }

    /** The noun phrase tokens[start, end) as a product: singular head, lower case; null for a non-product. */
    private static String product(String[] tokens, int start, int end) {
        StringBuilder value = new StringBuilder();
        for (int t = start; t < end; t++) {
            String word = tokens[t].toLowerCase(Locale.ROOT);
            if (t == end - 1) {
                word = singular(word);
            }
            value.append(t > start ? " " : "").append(word);
        }
        String head = singular(tokens[end - 1].toLowerCase(Locale.ROOT));
        return NOT_PRODUCTS.contains(head) || head.length() < 2 ? null : value.toString();
    }

    static String singular(String word) {
        String irregular = IRREGULAR_PLURALS.get(word);
        if (irregular != null) {
            return irregular;
        }
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.matches(".*(?:ss|sh|ch|x|zz)es")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("oes")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 2 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")
                && !word.endsWith("is")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    private static Integer count(String token) {
        if (token.matches("\\d{1,5}")) {
            return Integer.parseInt(token);
        }
        return NUMBER_WORDS.get(token.toLowerCase(Locale.ROOT));
    }

    private static boolean capitalised(String token) {
        return !token.isEmpty() && Character.isUpperCase(token.charAt(0)) && token.chars().anyMatch(Character::isLowerCase);
    }

    private static void collect(Pattern pattern, String type, String text, List<Entity> found) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            boolean overlaps = found.stream().anyMatch(e -> start < e.end() && end > e.start());
            if (!overlaps) {
                found.add(new Entity(type, text.substring(start, end).strip(), start, end));
            }
        }
    }

    private static int digits(String value) {
        return (int) value.chars().filter(Character::isDigit).count();
    }

    /** One entity: its type, its value, and where in the text it stands. */
    public record Entity(String type, String value, int start, int end) {
    }
}

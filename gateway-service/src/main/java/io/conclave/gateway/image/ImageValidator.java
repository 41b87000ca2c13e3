package io.conclave.gateway.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks the {@code image_url} parts of one request before anything is queued: a {@code data:} URL must be base64
 * of a PNG, JPEG, WebP or GIF image that really is what it says (decoded, not only sniffed), an {@code https:} URL
 * must be well-formed (the gateway never fetches it; the model's provider does), and the request must stay within
 * the {@link ImageLimits}. One {@link Budget} per request counts what its images add up to.
 */
public final class ImageValidator {

    /** Images larger than this per side are refused before their pixels are decoded. */
    static final int MAX_SIDE = 16_384;
    /** Decoding is subsampled down to about this many pixels: every byte is still read, the raster stays small. */
    private static final long DECODED_PIXELS = 1_000_000;
    private static final int MAX_HTTPS_URL_CHARS = 4_096;
    private static final Map<String, String> FORMATS = Map.of(
            "image/png", "png", "image/jpeg", "jpeg", "image/gif", "gif", "image/webp", "webp");

    private final ImageLimits limits;

    public ImageValidator(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** A new tally for one request. */
    public Budget budget() {
        return new Budget();
    }

    /** What one request's images add up to so far. Not thread-safe: one request, one thread. */
    public final class Budget {
        private int count;
        private long totalBytes;

        private Budget() {
        }

        /**
         * Checks one image URL and counts it.
         *
         * @param param the URL's field, named in every refusal
         * @return whether it is a {@code data:} URL (which travels once per request, by reference)
         * @throws ImageRejected when the URL is invalid (400) or over a limit (413)
         */
        public boolean check(String url, String param) {
            count++;
            if (count > limits.maxCount()) {
                throw new ImageRejected(ImageRejected.Reason.TOO_LARGE, param, "a request may carry at most "
                        + limits.maxCount() + " images; '" + param + "' is one too many");
            }
            String scheme = scheme(url);
            if (scheme.equals("data")) {
                long bytes = checkDataUrl(url, param);
                totalBytes += bytes;
                if (totalBytes > limits.maxTotalBytes()) {
                    throw new ImageRejected(ImageRejected.Reason.TOO_LARGE, param, "the request's images add up to"
                            + " more than " + limits.maxTotalBytes() + " bytes with '" + param + "'");
                }
                return true;
            }
            if (scheme.equals("https")) {
                checkHttps(url, param);
                return false;
            }
            throw invalid(param, "'" + param + "' must be an https: URL or a data: URL (image/png, image/jpeg,"
                    + " image/webp or image/gif, base64); got a " + (scheme.isEmpty() ? "URL without scheme"
                    : scheme + ": URL"));
        }
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':');
        if (colon <= 0 || colon > 16) {
            return "";
        }
        return url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static void checkHttps(String url, String param) {
        if (url.length() > MAX_HTTPS_URL_CHARS) {
            throw invalid(param, "'" + param + "' is longer than " + MAX_HTTPS_URL_CHARS + " characters");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw invalid(param, "'" + param + "' must name a host");
            }
        } catch (URISyntaxException e) {
            throw invalid(param, "'" + param + "' is not a valid URL: " + e.getReason());
        }
    }

    /** @return the image's decoded size in bytes */
    private long checkDataUrl(String url, String param) {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw invalid(param, "'" + param + "' is not a valid data URL: it has no ','");
        }
        String header = url.substring("data:".length(), comma).toLowerCase(Locale.ROOT);
        String[] fields = header.split(";");
        String mediaType = fields[0].strip();
        String format = FORMATS.get(mediaType);
        if (format == null) {
            throw invalid(param, "'" + param + "' must be an image/png, image/jpeg, image/webp or image/gif data URL;"
                    + " got '" + (mediaType.isEmpty() ? "no media type" : mediaType) + "'");
        }
        if (!fields[fields.length - 1].strip().equals("base64")) {
            throw invalid(param, "'" + param + "' must be a base64 data URL (data:" + mediaType + ";base64,...)");
        }
        long encoded = url.length() - comma - 1L;
        if (encoded / 4 * 3 > limits.maxBytes() + 2) {
            throw tooLarge(param, encoded / 4 * 3);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw invalid(param, "'" + param + "' is not valid base64: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw invalid(param, "'" + param + "' holds no image data");
        }
        if (bytes.length > limits.maxBytes()) {
            throw tooLarge(param, bytes.length);
        }
        String problem = format.equals("webp") ? WebpCheck.problem(bytes) : decodeProblem(bytes, format);
        if (problem != null) {
            throw invalid(param, "'" + param + "' does not hold a valid " + mediaType + " image: " + problem);
        }
        return bytes.length;
    }

    private ImageRejected tooLarge(String param, long bytes) {
        return new ImageRejected(ImageRejected.Reason.TOO_LARGE, param, "'" + param + "' is an image of " + bytes
                + " bytes; at most " + limits.maxBytes() + " bytes are allowed per image");
    }

    /**
     * Decodes the image with the JDK's reader for its format, subsampled so that a small file claiming a huge size
     * cannot fill the heap. Only the reader for the declared format is tried: a GIF sent as image/png fails.
     */
    private static String decodeProblem(byte[] bytes, String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JDK has no " + format + " image reader");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
                return "its size " + width + "x" + height + " is outside 1 to " + MAX_SIDE + " pixels per side";
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) width * height / DECODED_PIXELS)));
            param.setSourceSubsampling(step, step, 0, 0);
            reader.read(0, param);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            reader.dispose();
        }
    }

    /**
     * The JDK has no WebP reader, so a WebP image is checked by its container instead of being decoded: the RIFF
     * header with the right length and the {@code WEBP} form, chunks that exactly fill it, and a first chunk that
     * is an image (VP8, VP8L or VP8X) with its format's signature.
     */
    static final class WebpCheck {
        private WebpCheck() {
        }

        static String problem(byte[] bytes) {
            if (bytes.length < 20 || !fourCc(bytes, 0).equals("RIFF") || !fourCc(bytes, 8).equals("WEBP")) {
                return "it does not start with a RIFF/WEBP header";
            }
            long riffSize = uint32(bytes, 4);
            if (riffSize + 8 != bytes.length) {
                return "its RIFF size " + riffSize + " does not match its " + bytes.length + " bytes";
            }
            int offset = 12;
            boolean first = true;
            while (offset < bytes.length) {
                if (offset + 8 > bytes.length) {
                    return "a chunk header is cut off at byte " + offset;
                }
                String chunk = fourCc(bytes, offset);
                long size = uint32(bytes, offset + 4);
                long end = offset + 8 + size + (size & 1);
                if (end > bytes.length && offset + 8 + size != bytes.length) {
                    return "chunk '" + chunk + "' runs past the end of the file";
                }
                if (first) {
                    String bad = firstChunkProblem(bytes, chunk, offset + 8, size);
                    if (bad != null) {
                        return bad;
                    }
                    first = false;
                }
                offset = (int) Math.min(end, bytes.length);
            }
            return first ? "it has no image chunk" : null;
        }

        private static String firstChunkProblem(byte[] bytes, String chunk, int data, long size) {
            switch (chunk) {
                case "VP8 " -> {
                    boolean startCode = size >= 10 && (bytes[data + 3] & 0xff) == 0x9d
                            && (bytes[data + 4] & 0xff) == 0x01 && (bytes[data + 5] & 0xff) == 0x2a;
                    return startCode ? null : "its VP8 chunk has no frame start code";
                }
                case "VP8L" -> {
                    return size >= 5 && (bytes[data] & 0xff) == 0x2f ? null : "its VP8L chunk has no signature";
                }
                case "VP8X" -> {
                    return size >= 10 ? null : "its VP8X chunk is too short";
                }
                default -> {
                    return "its first chunk is '" + chunk + "', not VP8, VP8L or VP8X";
                }
            }
        }

        private static String fourCc(byte[] bytes, int offset) {
            return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
        }

        private static long uint32(byte[] bytes, int offset) {
            return (bytes[offset] & 0xffL) | (bytes[offset + 1] & 0xffL) << 8 | (bytes[offset + 2] & 0xffL) << 16
                    | (bytes[offset + 3] & 0xffL) << 24;
        }
    }

    private static ImageRejected invalid(String param, String message) {
        return new ImageRejected(ImageRejected.Reason.INVALID, param, message);
    }
}

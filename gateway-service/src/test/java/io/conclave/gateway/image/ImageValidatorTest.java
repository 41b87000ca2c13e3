package io.conclave.gateway.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the gateway accepts as an image part, and whether a refusal is a 400 or a 413. */
class ImageValidatorTest {

    private static final String PARAM = "messages[0].content[1].image_url.url";
    /** A 1x1 lossless WebP image. */
    private static final String WEBP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

    private final ImageValidator validator = new ImageValidator(new ImageLimits(200_000, 300_000, 3));

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif"})
    void realImagesOfTheDeclaredFormatAreAccepted(String format) throws IOException {
        assertTrue(validator.budget().check(dataUrl("image/" + format, image(format, 64, 48)), PARAM));
    }

    @Test
    void aWebpImageIsCheckedByItsContainer() {
        assertTrue(validator.budget().check("data:image/webp;base64," + WEBP, PARAM));
        byte[] bytes = Base64.getDecoder().decode(WEBP);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
        assertInvalid(dataUrl("image/webp", cut), "RIFF size");
        byte[] notAnImage = bytes.clone();
        notAnImage[12] = (byte) 'Z';
        assertInvalid(dataUrl("image/webp", notAnImage), "not VP8, VP8L or VP8X");
    }

    @Test
    void anHttpsUrlIsAcceptedAsItIsAndCountsNoBytes() {
        ImageValidator.Budget budget = validator.budget();
        assertFalse(budget.check("https://example.com/cat.png?size=large", PARAM));
        assertInvalid("https:///no-host.png", "must name a host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/cat.png", "file:///etc/passwd", "ftp://example.com/a.png",
            "example.com/cat.png", "javascript:alert(1)"})
    void otherSchemesAreRefusedNamingTheField(String url) {
        assertInvalid(url, "must be an https: URL or a data: URL");
    }

    @Test
    void theBytesMustBeTheDeclaredFormat() throws IOException {
        assertInvalid(dataUrl("image/jpeg", image("png", 8, 8)), "valid image/jpeg");
        assertInvalid(dataUrl("image/png", image("gif", 8, 8)), "valid image/png");
        assertInvalid(dataUrl("image/png", "not an image at all".getBytes()), "valid image/png");
        byte[] png = image("png", 64, 64);
        assertInvalid(dataUrl("image/png", Arrays.copyOf(png, png.length / 2)), "valid image/png");
    }

    @Test
    void badDataUrlsAreRefusedNamingTheField() throws IOException {
        String png = Base64.getEncoder().encodeToString(image("png", 8, 8));
        assertInvalid("data:image/png;base64,@@" + png, "not valid base64");
        assertInvalid("data:image/svg+xml;base64," + png, "got 'image/svg+xml'");
        assertInvalid("data:image/png," + png, "must be a base64 data URL");
        assertInvalid("data:image/png;base64" + png, "has no ','");
        assertInvalid("data:image/png;base64,", "holds no image data");
    }

    @Test
    void imagesOverALimitAreTooLarge() throws IOException {
        byte[] big = image("png", 300, 300);
        assertTrue(big.length > 200_000, "random pixels do not compress");
        assertTooLarge(validator.budget(), dataUrl("image/png", big), "at most 200000 bytes");

        byte[] medium = image("png", 240, 240);
        assertTrue(medium.length > 150_000 && medium.length < 200_000, "size " + medium.length);
        ImageValidator.Budget total = validator.budget();
        total.check(dataUrl("image/png", medium), PARAM);
        assertTooLarge(total, dataUrl("image/png", medium), "add up to more than 300000 bytes");

        ImageValidator.Budget count = validator.budget();
        for (int i = 0; i < 3; i++) {
            count.check("https://example.com/" + i + ".png", PARAM);
        }
        assertTooLarge(count, "https://example.com/3.png", "at most 3 images");
    }

    private void assertInvalid(String url, String message) {
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> validator.budget().check(url, PARAM));
        assertEquals(ImageRejected.Reason.INVALID, rejected.reason(), rejected.getMessage());
        assertEquals(PARAM, rejected.param());
        assertTrue(rejected.getMessage().contains(message), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(PARAM), rejected.getMessage());
    }

    private static void assertTooLarge(ImageValidator.Budget budget, String url, String message) {
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> budget.check(url, PARAM));
        assertEquals(ImageRejected.Reason.TOO_LARGE, rejected.reason(), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(message), rejected.getMessage());
    }

    private static String dataUrl(String mediaType, byte[] bytes) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** Random pixels, so that the image's size grows with its area. */
    static byte[] image(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }
}

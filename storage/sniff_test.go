package storage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/storage"
)

// TestDetect: each format is recognised by its content, including those
// net/http.DetectContentType does not know.
func TestDetect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		head []byte
		want string
	}{
		{"AACInADTSFrames", []byte{0xFF, 0xF1, 0x50, 0x80, 0x2E, 0x7F, 0xFC}, storage.TypeAAC},
		{"AMRFromAPhone", []byte("#!AMR\n\x3c\x00\x00"), storage.TypeAMR},
		{"AMRWideband", []byte("#!AMR-WB\n\x04\x00"), storage.TypeAMRW},
		{"DOCX", sampleDOCX(t), "application/x-ooxml-package"},
		{"HEICFromAnIPhone", ftyp("heic", "mif1", "heic"), storage.TypeHEIC},
		{"HEIFWithHEICBrand", ftyp("mif1", "mif1", "heic"), storage.TypeHEIC},
		{"JPEG", sampleJPEG(t), storage.TypeJPEG},
		{"M4AVoiceMemo", ftyp("M4A ", "M4A ", "mp42", "isom"), storage.TypeM4A},
		{"MP3WithID3Tag", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), sampleMP3()...), storage.TypeMP3},
		{"MP3WithoutTag", sampleMP3(), storage.TypeMP3},
		{"MP4WithGenericBrand", ftyp("isom", "isom", "mp42"), "video/mp4"},
		{"Ogg", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00OpusHead"), storage.TypeOgg},
		{"PDF", samplePDF(), storage.TypePDF},
		{"PNG", samplePNG(t), storage.TypePNG},
		{"PlainZIP", sampleZIP(t), "application/zip"},
		{"Text", []byte("hello, I am not a picture\n"), "text/plain"},
		{"ThreeGPFromAPhone", ftyp("3gp4", "isom", "3gp4"), storage.Type3GP},
		{"WAV", sampleWAV(), storage.TypeWAV},
		{"WebMFromABrowser", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm\x42\x87"), storage.TypeWebM},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.want, storage.Detect(c.head))
		})
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"image/JPG":                 storage.TypeJPEG,
		"audio/x-wav":               storage.TypeWAV,
		"audio/webm;codecs=opus":    storage.TypeWebM,
		"audio/x-m4a":               storage.TypeM4A,
		"Application/PDF; name=x":   storage.TypePDF,
		"audio/mp3":                 storage.TypeMP3,
		"video/3gpp":                storage.Type3GP,
		"application/octet-stream ": "application/octet-stream",
	} {
		require.Equal(t, want, storage.Canonical(in), in)
	}
}

func TestConfigWithDefaults(t *testing.T) {
	t.Parallel()
	c := storage.Config{Endpoint: "http://127.0.0.1:7070", Bucket: "b"}.WithDefaults()
	require.Equal(t, storage.PresignTTLDefault, c.PresignTTL)
	require.Equal(t, int64(storage.MaxSizeDefault), c.MaxSize)
	require.Equal(t, storage.DefaultTypes, c.Types)
	require.Equal(t, "http://127.0.0.1:7070", c.PublicEndpoint, "presigned links use the endpoint unless told otherwise")

	for _, bad := range []storage.Config{
		{},                                 // no bucket
		{Bucket: "b", AccessKey: "only"},   // half the credentials
		{Bucket: "b", Endpoint: "1.2.3.4"}, // no scheme
		{Bucket: "b", PresignTTL: 8 * 24 * 3600e9},
	} {
		_, err := storage.New(bad)
		require.Error(t, err, "%+v", bad)
	}
}

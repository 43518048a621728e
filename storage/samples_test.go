package storage_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// Small real files of each kind, made here rather than checked in.

func samplePNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, sampleImage()))
	return b.Bytes()
}

func sampleJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, sampleImage(), &jpeg.Options{Quality: 80}))
	return b.Bytes()
}

func sampleImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 16), 128, 255})
		}
	}
	return img
}

// samplePDF is a minimal one-page PDF.
func samplePDF() []byte {
	return []byte("%PDF-1.4\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

// sampleWAV is 0.1 s of 8 kHz 16-bit mono PCM silence.
func sampleWAV() []byte {
	const rate, samples = 8000, 800
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + samples*2))
	b.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1)) // PCM
	w(uint16(1)) // mono
	w(uint32(rate))
	w(uint32(rate * 2))
	w(uint16(2))
	w(uint16(16))
	b.WriteString("data")
	w(uint32(samples * 2))
	b.Write(make([]byte, samples*2))
	return b.Bytes()
}

// sampleMP3 is raw MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) without an
// ID3 tag, as some phones record them: net/http.DetectContentType does not
// know them.
func sampleMP3() []byte {
	const frameLen = 144 * 128000 / 44100 // 417 bytes, no padding
	var b bytes.Buffer
	for range 10 {
		frame := make([]byte, frameLen)
		copy(frame, []byte{0xFF, 0xFB, 0x90, 0x64})
		b.Write(frame)
	}
	return b.Bytes()
}

// sampleDOCX is a ZIP laid out as Word writes it: [Content_Types].xml first.
func sampleDOCX(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		f, err := z.Create(name)
		require.NoError(t, err)
		_, err = f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`))
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())
	return b.Bytes()
}

// sampleZIP is a ZIP that is not an Office document.
func sampleZIP(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	f, err := z.Create("notes.txt")
	require.NoError(t, err)
	_, err = f.Write([]byte("hello"))
	require.NoError(t, err)
	require.NoError(t, z.Close())
	return b.Bytes()
}

// ftyp is the start of an ISO media file with the given brands.
func ftyp(major string, compatible ...string) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(16+4*len(compatible)))
	b.WriteString("ftyp" + major)
	_ = binary.Write(&b, binary.BigEndian, uint32(0))
	for _, c := range compatible {
		b.WriteString(c)
	}
	b.Write(make([]byte, 64)) // the next box
	return b.Bytes()
}

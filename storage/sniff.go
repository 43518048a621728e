package storage

import (
	"bytes"
	"encoding/binary"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// SniffLen is how many leading bytes of an upload are read to detect its type.
const SniffLen = 512

// Media types this package detects and accepts by default (DefaultTypes).
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeHEIC = "image/heic"
	TypeHEIF = "image/heif"
	TypeWebP = "image/webp"
	TypeMP3  = "audio/mpeg"
	TypeM4A  = "audio/mp4"
	TypeAAC  = "audio/aac"
	TypeOgg  = "audio/ogg"
	TypeWAV  = "audio/wav"
	TypeWebM = "audio/webm"
	TypeAMR  = "audio/amr"
	TypeAMRW = "audio/amr-wb"
	Type3GP  = "audio/3gpp"
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Container types that Detect may return when the first bytes cannot tell
// more: an ISO media file that is not marked as audio (phones write M4A
// recordings with generic brands) and an Office Open XML package whose first
// entry does not name its kind. They are never stored under these names:
// they only stand in for a declared type they are compatible with.
const (
	typeMP4Generic  = "video/mp4"
	typeOOXMLPacket = "application/x-ooxml-package"
)

// DefaultTypes are the media types Put accepts unless Config.Types says
// otherwise: photos (JPEG, PNG, HEIC/HEIF from phones, WebP), audio
// recordings (MP3, M4A/AAC, Ogg, WAV, WebM from browsers, AMR and 3GP from
// phones) and documents (PDF, DOCX, XLSX).
var DefaultTypes = []string{
	TypeJPEG, TypePNG, TypeHEIC, TypeHEIF, TypeWebP,
	TypeMP3, TypeM4A, TypeAAC, TypeOgg, TypeWAV, TypeWebM, TypeAMR, TypeAMRW, Type3GP,
	TypePDF, TypeDOCX, TypeXLSX,
}

// aliases maps other names clients send for a type to the name used here.
var aliases = map[string]string{
	"image/jpg":            TypeJPEG,
	"image/pjpeg":          TypeJPEG,
	"image/x-png":          TypePNG,
	"image/heic-sequence":  TypeHEIC,
	"image/heif-sequence":  TypeHEIF,
	"audio/mp3":            TypeMP3,
	"audio/mpeg3":          TypeMP3,
	"audio/x-mp3":          TypeMP3,
	"audio/x-mpeg":         TypeMP3,
	"audio/x-m4a":          TypeM4A,
	"audio/m4a":            TypeM4A,
	"audio/x-mp4":          TypeM4A,
	"audio/x-aac":          TypeAAC,
	"audio/aacp":           TypeAAC,
	"application/ogg":      TypeOgg,
	"audio/opus":           TypeOgg,
	"audio/vorbis":         TypeOgg,
	"audio/x-wav":          TypeWAV,
	"audio/wave":           TypeWAV,
	"audio/vnd.wave":       TypeWAV,
	"audio/x-amr":          TypeAMR,
	"audio/amr-nb":         TypeAMR,
	"video/3gpp":           Type3GP,
	"application/x-pdf":    TypePDF,
	"application/acrobat":  TypePDF,
	"audio/x-amr-wb":       TypeAMRW,
	"application/x-ms-wav": TypeWAV,
}

// compatible lists, for a declared type, the detected types that may carry
// it besides the type itself.
var compatible = map[string][]string{
	TypeM4A:  {typeMP4Generic},          // M4A recordings with brand isom/mp42
	TypeAAC:  {TypeM4A, typeMP4Generic}, // AAC in an MP4 container, as phones label it
	TypeHEIC: {TypeHEIF},
	TypeHEIF: {TypeHEIC},
	TypeDOCX: {typeOOXMLPacket},
	TypeXLSX: {typeOOXMLPacket},
}

// undeclared are declared types that say nothing: the detected type is used.
var undeclared = []string{"", "application/octet-stream", "binary/octet-stream", "application/binary"}

// Canonical returns the media type t names, lower case, without parameters,
// with common aliases resolved ("image/jpg" is "image/jpeg", "audio/x-wav"
// is "audio/wav").
func Canonical(t string) string {
	if mt, _, err := mime.ParseMediaType(t); err == nil {
		t = mt
	}
	t = strings.ToLower(strings.TrimSpace(t))
	if a, ok := aliases[t]; ok {
		return a
	}
	return t
}

// Detect returns the media type of content from its first bytes (up to
// SniffLen are looked at). It knows the formats of DefaultTypes, including
// those net/http.DetectContentType misses (raw MP3 and AAC frames, M4A,
// HEIC, AMR, 3GP, Office Open XML), and falls back to DetectContentType.
func Detect(head []byte) string {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	if t := detectBMFF(head); t != "" {
		return t
	}
	switch {
	case bytes.HasPrefix(head, []byte("#!AMR-WB\n")):
		return TypeAMRW
	case bytes.HasPrefix(head, []byte("#!AMR\n")):
		return TypeAMR
	case bytes.HasPrefix(head, []byte("ID3")):
		return TypeMP3
	case isADTS(head):
		return TypeAAC
	case isMPEGAudioFrame(head):
		return TypeMP3
	case bytes.HasPrefix(head, []byte("OggS")):
		return TypeOgg
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}) && bytes.Contains(head, []byte("webm")):
		return TypeWebM
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if t := detectOOXML(head); t != "" {
			return t
		}
	}
	t := Canonical(http.DetectContentType(head))
	if t == "audio/wave" {
		return TypeWAV
	}
	return t
}

// detectBMFF recognises ISO base media files (MP4, M4A, HEIC, 3GP) by their
// leading ftyp box and its brands.
func detectBMFF(head []byte) string {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return ""
	}
	size := int(binary.BigEndian.Uint32(head[0:4]))
	if size < 16 || size > len(head) {
		size = len(head)
	}
	major := string(head[8:12])
	var brands []string
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	has := func(bs ...string) bool {
		return slices.Contains(bs, major) || slices.ContainsFunc(brands, func(b string) bool { return slices.Contains(bs, b) })
	}
	heic := []string{"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"}
	switch {
	case slices.Contains(heic, major):
		return TypeHEIC
	case major == "mif1" || major == "msf1":
		if has(heic...) {
			return TypeHEIC
		}
		if has("avif", "avis") {
			return "image/avif"
		}
		return TypeHEIF
	case major == "avif" || major == "avis":
		return "image/avif"
	case major == "M4A " || major == "M4B " || major == "M4P ":
		return TypeM4A
	case strings.HasPrefix(major, "3g"):
		return Type3GP
	case major == "qt  ":
		return "video/quicktime"
	}
	return typeMP4Generic
}

// isADTS reports an AAC ADTS frame header: 12-bit sync, layer 0.
func isADTS(h []byte) bool {
	return len(h) >= 7 && h[0] == 0xFF && h[1]&0xF6 == 0xF0 && (h[2]>>2)&0x0F < 13
}

// isMPEGAudioFrame reports an MPEG audio (MP3) frame header: 11-bit sync, a
// valid version and layer, a bitrate index other than "bad" and a valid
// sampling rate.
func isMPEGAudioFrame(h []byte) bool {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return false
	}
	version, layer := (h[1]>>3)&3, (h[1]>>1)&3
	bitrate, rate := h[2]>>4, (h[2]>>2)&3
	return version != 1 && layer != 0 && bitrate != 0x0F && rate != 3
}

// detectOOXML looks at the name of a ZIP file's first entry: Office writes
// [Content_Types].xml first, others often the part itself (word/..., xl/...).
func detectOOXML(h []byte) string {
	if len(h) < 30 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(h[26:28]))
	if 30+n > len(h) {
		return ""
	}
	name := string(h[30 : 30+n])
	switch {
	case strings.HasPrefix(name, "word/"):
		return TypeDOCX
	case strings.HasPrefix(name, "xl/"):
		return TypeXLSX
	case name == "[Content_Types].xml" || strings.HasPrefix(name, "_rels/") || strings.HasPrefix(name, "docProps/"):
		return typeOOXMLPacket
	}
	return ""
}

// resolveType decides the type an upload is stored as, or refuses it: the
// declared type (canonical) must be allowed and match what the content is,
// or, when nothing was declared, the detected type must be allowed.
func resolveType(declared, detected string, allowed []string) (string, error) {
	d := Canonical(declared)
	if slices.Contains(undeclared, d) {
		if !slices.Contains(allowed, detected) {
			return "", &TypeError{Declared: declared, Detected: detected, Err: ErrTypeNotAllowed}
		}
		return detected, nil
	}
	if !slices.Contains(allowed, d) {
		return "", &TypeError{Declared: declared, Detected: detected, Err: ErrTypeNotAllowed}
	}
	if d != detected && !slices.Contains(compatible[d], detected) {
		return "", &TypeError{Declared: declared, Detected: detected, Err: ErrTypeMismatch}
	}
	return d, nil
}

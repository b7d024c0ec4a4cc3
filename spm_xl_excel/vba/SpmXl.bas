Attribute VB_Name = "SpmXl"
' SPM-XL: tombol Periksa Data dan Hitung Ulang, dan fungsi lembar kerja SPM_*.
'
' The buttons run the package's Python entry points through the xlwings add-in
' (RunPython). The add-in is called late-bound with Application.Run instead of a
' VBA reference or an embedded copy of xlwings.bas, so this project compiles and
' shows a clear message even on a PC without the add-in, and the template does not
' pin one xlwings version (the embedded module loads a DLL named after its version).
' The worksheet functions are the wrappers xlwings' "Import Functions" would write,
' calling the add-in's UDF server (XLPy) late-bound in the same way: no reference,
' nothing to import per workbook; without the add-in a cell shows a short text.
Option Explicit

Private Const ADDIN_NAME As String = "xlwings.xlam"
Private Const UDF_MODULE As String = "spm_xl_excel.functions"

Public Sub PeriksaData()
    JalankanPython "import spm_xl_excel.buttons as b; b.periksa_data()"
End Sub

Public Sub HitungUlang()
    JalankanPython "import spm_xl_excel.buttons as b; b.hitung_ulang()"
End Sub

Private Sub JalankanPython(ByVal perintah As String)
    If Not AddinTerpasang() Then
        MsgBox "Add-in xlwings belum terpasang atau belum aktif." & vbCrLf & _
               "Pasang dengan perintah: xlwings addin install" & vbCrLf & _
               "lalu buka kembali buku kerja ini. Lihat README bagian pemasangan.", _
               vbExclamation, "SPM-XL"
        Exit Sub
    End If
    On Error GoTo Gagal
    Application.Run "'" & ADDIN_NAME & "'!RunPython", perintah
    Exit Sub
Gagal:
    MsgBox "Python tidak dapat dijalankan: " & Err.Description & vbCrLf & _
           "Periksa pemasangan Python, paket spm-xl dan add-in xlwings.", _
           vbCritical, "SPM-XL"
End Sub

Private Function AddinTerpasang() As Boolean
    Dim wb As Workbook
    On Error Resume Next
    Set wb = Application.Workbooks(ADDIN_NAME)
    AddinTerpasang = Not (wb Is Nothing)
End Function

Public Function SPM_NIK_VALID(nik As Variant) As Variant
    SPM_NIK_VALID = FungsiPython("SPM_NIK_VALID", Array(nik))
End Function

Public Function SPM_NIK_INFO(nik As Variant, Optional bagian As Variant) As Variant
    SPM_NIK_INFO = FungsiPython("SPM_NIK_INFO", Array(nik, bagian))
End Function

Public Function SPM_INDEKS(persen_penerima As Variant, persen_mutu As Variant) As Variant
    SPM_INDEKS = FungsiPython("SPM_INDEKS", Array(persen_penerima, persen_mutu))
End Function

Public Function SPM_KATEGORI(indeks As Variant) As Variant
    SPM_KATEGORI = FungsiPython("SPM_KATEGORI", Array(indeks))
End Function

Private Function FungsiPython(ByVal nama As String, ByVal argumen As Variant) As Variant
    Dim server As Object
    If Not AddinTerpasang() Then
        FungsiPython = "Add-in xlwings belum terpasang"
        Exit Function
    End If
    On Error GoTo Gagal
    Set server = Application.Run("'" & ADDIN_NAME & "'!XLPy")
    FungsiPython = server.CallUDF(UDF_MODULE, nama, argumen, ThisWorkbook, Application.Caller)
    Exit Function
Gagal:
    FungsiPython = Err.Description
End Function
